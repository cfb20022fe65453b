// Tests: DepthwiseConv2dNativeBackpropFilter on wasm against direct loops and the cpu backend.
import assert from "node:assert/strict";
import { DEPTHWISE_CASES, describe } from "./depthwise_cases.ts";
import { depthwiseReferenceGrads, relativeError, runOn, seeded, useWasm } from "./test_util.ts";

Deno.test("wasm DepthwiseConv2dNativeBackpropFilter matches direct loops and the cpu backend", async () => {
  await useWasm();
  for (const [i, g] of DEPTHWISE_CASES.entries()) {
    const x = seeded(g.x.reduce((a, b) => a * b), 10 + i);
    const filter = seeded(g.filter.reduce((a, b) => a * b), 50 + i);
    const { dyShape } = depthwiseReferenceGrads(g, x, filter, new Float32Array(0));
    const dy = seeded(dyShape.reduce((a, b) => a * b), 90 + i);
    const { dFilter } = depthwiseReferenceGrads(g, x, filter, dy);
    const call = {
      kernel: "DepthwiseConv2dNativeBackpropFilter",
      inputs: { x: [g.x, x], dy: [dyShape, dy] } as Record<string, [number[], Float32Array]>,
      attrs: { strides: g.strides, dilations: g.dilations, pad: g.pad, filterShape: g.filter },
    };
    const wasm = await runOn("wasm", call);
    assert.deepEqual(wasm.shape, g.filter, describe(g));
    assert.ok(relativeError(wasm.values, dFilter) <= 1e-4, `vs loops: ${describe(g)}`);
    if (g.dilations.every((d) => d === 1)) { // the cpu kernel ignores dilations
      const cpu = await runOn("cpu", call);
      assert.ok(relativeError(wasm.values, cpu.values) <= 1e-4, `vs cpu: ${describe(g)}`);
    }
  }
});
