// The webgpu backend on whatever WebGPU adapter exists (in CI Mesa's llvmpipe, a software one that setup installs
// with mesa-vulkan-drivers), so the GPU code path runs on every test run: inference whose heads match the wasm
// backend's, and a tiny Panoptic-DeepLab training run whose loss falls. Without any adapter they are ignored.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend, webgpuAdapter } from "../lib/runtime/backend.ts";
import { collate, prepareSample } from "../lib/data/pipeline/prepare.ts";
import { sceneSample } from "../lib/data/datasets/synthetic.ts";
import { predictHeads } from "../lib/model/inference.ts";
import { buildPanopticDeepLab, type PanopticDeepLabConfig } from "../lib/model/panoptic_deeplab.ts";
import { LocalTrainer } from "../lib/train/local_trainer.ts";
import { createPanopticTask, toArrayBatch } from "../lib/train/panoptic_task.ts";

const adapter = await webgpuAdapter();
const ignore = typeof adapter === "string";
const software = typeof adapter !== "string" && adapter.software;
const skipped = ignore ? ` (ignored: ${adapter}; setup installs mesa-vulkan-drivers for a software adapter)` : "";
if (ignore) console.warn(`tests/webgpu_test.ts${skipped}`);

const quiet = { log: () => {} };
/** Panoptic-DeepLab with narrow decoders, randomly initialised: seconds per step even on a software adapter. */
const TINY_MODEL: Partial<PanopticDeepLabConfig> = {
  pretrained: false,
  decoderChannels: 16,
  instanceChannels: 16,
  semanticLowLevel: [8, 8],
  instanceLowLevel: [8, 8],
};
const [H, W] = [32, 64];
const scene = sceneSample("road and two cars", H, W, [
  { y: 20, x: 0, height: 12, width: 64, trainId: 0, instance: false },
  { y: 10, x: 8, height: 14, width: 18, trainId: 13 },
  { y: 12, x: 36, height: 12, width: 20, trainId: 13 },
], { background: 2, seed: 1 });
const batch = toArrayBatch(collate([prepareSample(scene, { augment: null }, 0)]));
const step = { learningRate: 0.005, clipNorm: 1 };

const newTrainer = async () =>
  new LocalTrainer(await createPanopticTask({ model: TINY_MODEL, loss: {} }), { learningRate: step.learningRate });
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-3 * Math.max(1, Math.abs(b));

Deno.test({
  name: `webgpu inference gives the wasm backend's heads within 1e-3${skipped}`,
  ignore,
  async fn() {
    await initBackend({ ...quiet, force: "wasm" });
    const model = await buildPanopticDeepLab(TINY_MODEL);
    const want = await predictHeads(model, scene.image, H, W);
    await initBackend({ ...quiet, force: "webgpu" });
    const got = await predictHeads(model, scene.image, H, W);
    for (const head of ["probabilities", "center", "offsets"] as const) {
      const diff = got[head].reduce((m, v, i) => Math.max(m, Math.abs(v - want[head][i])), 0);
      assert.ok(diff <= 1e-3, `${head}: webgpu and wasm differ by up to ${diff}`);
    }
    model.dispose();
  },
});

Deno.test({
  name: `a tiny Panoptic-DeepLab training run on webgpu takes wasm's first step and lowers its loss${skipped}`,
  ignore,
  async fn() {
    await initBackend({ ...quiet, force: "wasm" });
    const reference = await newTrainer();
    const want = await reference.step(batch, step);
    await reference.dispose();
    await initBackend({ ...quiet, force: "webgpu" });
    const trainer = await newTrainer();
    const results = [await trainer.step(batch, step)];
    for (const [name, value] of Object.entries({ ...results[0].terms, gradNorm: results[0].gradNorm })) {
      const expected = name === "gradNorm" ? want.gradNorm : want.terms[name];
      assert.ok(close(value, expected), `first step's ${name}: ${value} on webgpu, ${expected} on wasm`);
    }
    for (let i = 1; i < 5; i++) results.push(await trainer.step(batch, step));
    const losses = results.map((r) => r.terms.total);
    assert.ok(losses.at(-1)! < 0.7 * losses[0], `losses ${losses.join(", ")}`);
    assert.equal(tf.getBackend(), "webgpu");
    await trainer.dispose();
  },
});

Deno.test({
  name: `webgpu AddN adds more inputs than a shader can bind (the gradient norm's sum)${skipped}`,
  ignore,
  async fn() {
    await initBackend({ ...quiet, force: "webgpu" });
    const before = tf.memory().numTensors;
    const dataIds = tf.backend().numDataIds();
    const sum = tf.addN(Array.from({ length: 40 }, (_, i) => tf.fill([3], i + 1)));
    assert.deepEqual(Array.from(await sum.data()), [820, 820, 820]);
    tf.dispose(sum);
    assert.equal(tf.memory().numTensors, before + 40, "only the 40 inputs remain");
    assert.equal(tf.backend().numDataIds(), dataIds + 40, "the group sums were freed");
  },
});

Deno.test({
  name: `forced webgpu starts on a software adapter with a warning; the automatic choice skips it${
    ignore ? skipped : software ? "" : " (ignored: the adapter is a GPU)"
  }`,
  ignore: !software,
  async fn() {
    const lines: string[] = [];
    await initBackend({ force: "webgpu", log: (line) => lines.push(line) });
    assert.match(lines.join("\n"), /warning: the WebGPU adapter is software only \(.+\): webgpu runs on the CPU/);
    const automatic = await initBackend({ ...quiet, force: "" });
    assert.notEqual(automatic.name, "webgpu");
    assert.match(automatic.reason, /webgpu: WebGPU adapter is software only/);
  },
});
