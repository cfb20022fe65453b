// Tests: the cpu ResizeBilinearGrad shape fix (probe, values against wasm, tf.grad shape check).
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { cpuResizeBilinearGradSwapsShape, fixCpuResizeBilinearGrad } from "./cpu_resize_bilinear_grad.ts";
import { relativeError, runOn, seeded, useWasm } from "./testing/kernel_check.ts";

Deno.test("cpu ResizeBilinearGrad: the fix applies where the shape bug is, and values match wasm", async () => {
  await useWasm();
  fixCpuResizeBilinearGrad(); // initBackend already did; a second call must be harmless
  assert.equal(cpuResizeBilinearGradSwapsShape(), false, "cpu result shape still swapped after the fix");
  for (const [alignCorners, halfPixelCenters] of [[false, false], [true, false], [false, true]]) {
    const call = {
      kernel: "ResizeBilinearGrad",
      inputs: {
        images: [[2, 5, 3, 2], seeded(60, 3)],
        dy: [[2, 9, 8, 2], seeded(288, 4)],
      } as Record<string, [number[], Float32Array]>,
      attrs: { alignCorners, halfPixelCenters },
    };
    const cpu = await runOn("cpu", call);
    const wasm = await runOn("wasm", call);
    assert.deepEqual(cpu.shape, [2, 5, 3, 2]);
    assert.ok(relativeError(cpu.values, wasm.values) <= 1e-4, `alignCorners ${alignCorners} half ${halfPixelCenters}`);
  }
  // tf.grad checks each gradient's shape against its input: this threw before the fix.
  await tf.setBackend("cpu");
  const images = tf.ones([1, 3, 5, 1]);
  const g = tf.grad((x) => tf.sum(tf.image.resizeBilinear(x as tf.Tensor4D, [6, 10])))(images);
  assert.deepEqual(g.shape, [1, 3, 5, 1]);
  tf.dispose([images, g]);
  await tf.setBackend("wasm");
});
