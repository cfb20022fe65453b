// Tests: the Conv2DBackpropInput replacement against the cpu backend for strides, paddings and filter sizes.
import assert from "node:assert/strict";
import { relativeError, runOn, seeded, useWasm } from "./testing/kernel_check.ts";
import { CONV_CASES, convOutShape, describeConv } from "./testing/conv_cases.ts";

Deno.test("wasm Conv2DBackpropInput (XNNPACK replacement) matches the cpu backend", async () => {
  await useWasm();
  for (const [i, c] of CONV_CASES.entries()) {
    const outShape = convOutShape(c);
    const call = {
      kernel: "Conv2DBackpropInput",
      inputs: {
        dy: [outShape, seeded(outShape.reduce((a, b) => a * b), 30 + i)],
        filter: [c.filter, seeded(c.filter.reduce((a, b) => a * b), 40 + i)],
      } as Record<string, [number[], Float32Array]>,
      attrs: { strides: c.strides, pad: c.pad, dataFormat: "NHWC", inputShape: c.x },
    };
    const wasm = await runOn("wasm", call);
    const cpu = await runOn("cpu", call);
    assert.deepEqual(wasm.shape, c.x, describeConv(c));
    assert.ok(relativeError(wasm.values, cpu.values) <= 1e-4, describeConv(c));
  }
});
