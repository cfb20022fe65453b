// Tests: Conv2DBackpropFilter on wasm against the cpu backend for strides, paddings, filter and input sizes.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { relativeError, runOn, seeded, useWasm } from "./testing/kernel_check.ts";
import { CONV_CASES, convOutShape, describeConv } from "./testing/conv_cases.ts";

Deno.test("wasm Conv2DBackpropFilter matches the cpu backend for every stride/padding/size combination", async () => {
  await useWasm();
  for (const [i, c] of CONV_CASES.entries()) {
    const outShape = convOutShape(c);
    const call = {
      kernel: "Conv2DBackpropFilter",
      inputs: {
        x: [c.x, seeded(c.x.reduce((a, b) => a * b), 7 + i)],
        dy: [outShape, seeded(outShape.reduce((a, b) => a * b), 70 + i)],
      } as Record<string, [number[], Float32Array]>,
      attrs: { strides: c.strides, pad: c.pad, dataFormat: "NHWC", filterShape: c.filter },
    };
    const wasm = await runOn("wasm", call);
    const cpu = await runOn("cpu", call);
    assert.deepEqual(wasm.shape, c.filter, describeConv(c));
    assert.ok(relativeError(wasm.values, cpu.values) <= 1e-4, describeConv(c));
  }
});

Deno.test("wasm Conv2DBackpropFilter rejects NCHW with a message naming the module", async () => {
  await useWasm();
  const x = tf.zeros([1, 2, 4, 4]);
  const dy = tf.zeros([1, 2, 4, 4]);
  assert.throws(
    () =>
      tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, {
        strides: 1,
        pad: "same",
        dataFormat: "NCHW",
        filterShape: [1, 1, 2, 2],
      }),
    /conv2d_backprop_filter\.ts.*NCHW/,
  );
  tf.dispose([x, dy]);
});
