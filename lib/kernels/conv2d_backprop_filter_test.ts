// Tests: Conv2DBackpropFilter on wasm against the cpu backend for strides, paddings, filter and input sizes.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { relativeError, runOn, seeded, useWasm } from "./test_util.ts";

type Pad = "same" | "valid" | [[number, number], [number, number], [number, number], [number, number]];
const CASES: { x: number[]; filter: number[]; strides: [number, number]; pad: Pad }[] = [
  { x: [2, 7, 9, 3], filter: [3, 3, 3, 4], strides: [1, 1], pad: "same" },
  { x: [2, 7, 9, 3], filter: [3, 3, 3, 4], strides: [2, 2], pad: "same" },
  { x: [1, 8, 6, 2], filter: [3, 3, 2, 5], strides: [2, 2], pad: "same" },
  { x: [2, 9, 7, 3], filter: [3, 3, 3, 2], strides: [2, 2], pad: "valid" },
  { x: [1, 6, 7, 3], filter: [3, 3, 3, 2], strides: [1, 2], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [2, 5, 7, 6], filter: [1, 1, 6, 4], strides: [1, 1], pad: "valid" },
  { x: [2, 5, 7, 6], filter: [1, 1, 6, 4], strides: [2, 2], pad: "same" },
  { x: [1, 9, 8, 2], filter: [5, 3, 2, 3], strides: [1, 1], pad: "valid" },
  { x: [1, 11, 10, 3], filter: [7, 7, 3, 2], strides: [2, 2], pad: "same" },
];

Deno.test("wasm Conv2DBackpropFilter matches the cpu backend for every stride/padding/size combination", async () => {
  await useWasm();
  for (const [i, c] of CASES.entries()) {
    const info = tf.backend_util.computeConv2DInfo(
      c.x as [number, number, number, number],
      c.filter as [number, number, number, number],
      c.strides,
      1,
      c.pad,
    );
    const call = {
      kernel: "Conv2DBackpropFilter",
      inputs: {
        x: [c.x, seeded(c.x.reduce((a, b) => a * b), 7 + i)],
        dy: [info.outShape, seeded(info.outShape.reduce((a, b) => a * b), 70 + i)],
      } as Record<string, [number[], Float32Array]>,
      attrs: { strides: c.strides, pad: c.pad, dataFormat: "NHWC", filterShape: c.filter },
    };
    const wasm = await runOn("wasm", call);
    const cpu = await runOn("cpu", call);
    const label = `x ${c.x} filter ${c.filter} strides ${c.strides} pad ${JSON.stringify(c.pad)}`;
    assert.deepEqual(wasm.shape, c.filter, label);
    assert.ok(relativeError(wasm.values, cpu.values) <= 1e-4, label);
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
