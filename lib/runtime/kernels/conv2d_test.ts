// Tests: our wasm Conv2D against the cpu backend for strides, paddings, filter and input sizes (and the stock
// kernel's cases: dilation).
import assert from "node:assert/strict";
import { relativeError, runOn, seeded, useWasm } from "./testing/kernel_check.ts";
import { CONV_CASES, describeConv } from "./testing/conv_cases.ts";

Deno.test("wasm Conv2D matches the cpu backend for every stride/padding/size combination", async () => {
  await useWasm();
  for (const [i, c] of CONV_CASES.entries()) {
    const call = {
      kernel: "Conv2D",
      inputs: {
        x: [c.x, seeded(c.x.reduce((a, b) => a * b), 5 + i)],
        filter: [c.filter, seeded(c.filter.reduce((a, b) => a * b), 50 + i)],
      } as Record<string, [number[], Float32Array]>,
      attrs: { strides: c.strides, pad: c.pad, dataFormat: "NHWC", dilations: [1, 1] },
    };
    const wasm = await runOn("wasm", call);
    const cpu = await runOn("cpu", call);
    assert.deepEqual(wasm.shape, cpu.shape, describeConv(c));
    assert.ok(relativeError(wasm.values, cpu.values) <= 1e-4, describeConv(c));
  }
});
