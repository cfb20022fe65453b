// Tests: fused depthwise layers compute what the stock ones do (activations in and after the kernel, no bias, strides,
// valid padding, a nested model), run the fused kernel, and are what the inference loader returns for the default model.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { join } from "node:path";
import { initBackend } from "../runtime/backend.ts";
import { relativeError } from "../runtime/kernels/testing/kernel_check.ts";
import { layersModelFiles } from "./checkpoint.ts";
import { fuseForInference } from "./inference_fusion.ts";
import { loadPanopticModel, resolveModelDir } from "./load.ts";
import { DEFAULT_RUN_DIR } from "../train/config.ts";
import { PROJECT_ROOT } from "../io/project.ts";
import "./layers.ts";

await initBackend({ force: "wasm", log: () => {} });

type Args = Parameters<typeof tfl.layers.depthwiseConv2d>[0];
const depthwise = (args: Omit<Args, "kernelSize"> & { kernelSize?: number }, seed: number) =>
  tfl.layers.depthwiseConv2d({
    kernelSize: 3,
    padding: "same",
    depthwiseInitializer: tfl.initializers.randomUniform({ minval: -1, maxval: 1, seed }),
    biasInitializer: tfl.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: seed + 100 }),
    ...args,
  });

/** Five depthwise layers, one inside a nested model, covering the fused call's cases. */
function depthwiseStack(): tfl.LayersModel {
  const innerInput = tfl.input({ shape: [null, null, 4] });
  const inner = tfl.model({
    inputs: innerInput,
    outputs: depthwise({ activation: "relu6", depthMultiplier: 2 }, 3).apply(innerInput) as tfl.SymbolicTensor,
  });
  const input = tfl.input({ shape: [null, null, 4] });
  let x = depthwise({ activation: "relu" }, 1).apply(input) as tfl.SymbolicTensor;
  x = depthwise({ useBias: false, strides: 2 }, 2).apply(x) as tfl.SymbolicTensor;
  x = inner.apply(x) as tfl.SymbolicTensor;
  x = depthwise({ activation: "elu" }, 4).apply(x) as tfl.SymbolicTensor; // applied after the fused kernel
  x = depthwise({ padding: "valid", kernelSize: 5 }, 5).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: x });
}

async function kernelNames(f: () => tf.Tensor): Promise<string[]> {
  const info = await tf.profile(() => f());
  return info.kernels.map((k) => k.name);
}

Deno.test("fuseForInference: the same outputs through the fused kernel, every case, nested models too", async () => {
  const model = depthwiseStack();
  const x = tf.randomUniform([2, 13, 11, 4], -2, 2, "float32", 7);
  const stock = model.predict(x) as tf.Tensor;
  const stockKernels = await kernelNames(() => model.predict(x) as tf.Tensor);
  assert.equal(stockKernels.filter((k) => k === "DepthwiseConv2dNative").length, 5);

  assert.equal(fuseForInference(model), 5);
  assert.equal(fuseForInference(model), 0, "a second call changes nothing");
  const fused = model.predict(x) as tf.Tensor;
  const fusedKernels = await kernelNames(() => model.predict(x) as tf.Tensor);
  assert.equal(fusedKernels.filter((k) => k === "FusedDepthwiseConv2D").length, 5);
  assert.ok(!fusedKernels.includes("DepthwiseConv2dNative"));
  assert.ok(fusedKernels.filter((k) => k === "Add").length < stockKernels.filter((k) => k === "Add").length);

  assert.deepEqual(fused.shape, stock.shape);
  assert.ok(relativeError(await fused.data(), await stock.data()) < 1e-5);
  tf.dispose([x, stock, fused]);
  model.dispose();
});

Deno.test("the default model as loadPanopticModel returns it: fused, with the stock layers' heads", async () => {
  const loaded = await loadPanopticModel(join(PROJECT_ROOT, DEFAULT_RUN_DIR));
  assert.equal(fuseForInference(loaded.model), 0, "the loader fused it already");
  const stock = await tfl.loadLayersModel(layersModelFiles(resolveModelDir(join(PROJECT_ROOT, DEFAULT_RUN_DIR))));
  const x = tf.randomUniform([1, 64, 128, 3], -1, 1, "float32", 11);
  const ours = loaded.model.predict(x) as tf.Tensor[];
  const theirs = stock.predict(x) as tf.Tensor[];
  for (const [i, head] of ours.entries()) {
    assert.ok(relativeError(await head.data(), await theirs[i].data()) < 1e-4, `head ${i}`);
  }
  tf.dispose([x, ...ours, ...theirs]);
  loaded.model.dispose();
  stock.dispose();
});
