import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { initBackend } from "../runtime/backend.ts";
import { latestCheckpointPath, layersModelFiles, loadCheckpoint, loadLatest, saveCheckpoint } from "./checkpoint.ts";
import { constantModel } from "./testing/interrupted_save.ts";

const quiet = { log: () => {} };
const PROJECT = fileURLToPath(new URL("../../", import.meta.url));

/** conv 3x3 → batch norm → ReLU → conv 1x1 on 6x6x3 inputs, seeded. */
function tinyModel(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [6, 6, 3],
        filters: 4,
        kernelSize: 3,
        padding: "same",
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
      }),
      tfl.layers.batchNormalization(),
      tfl.layers.reLU(),
      tfl.layers.conv2d({ filters: 2, kernelSize: 1, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
}

const inputs = () => tf.randomUniform([2, 6, 6, 3], 0, 1, "float32", 7);
const targets = () => tf.randomUniform([2, 6, 6, 2], -1, 1, "float32", 8);

function trainStep(model: tfl.LayersModel, optimizer: tf.Optimizer, x: tf.Tensor, y: tf.Tensor): void {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  optimizer.minimize(() => tf.losses.meanSquaredError(y, model.apply(x, { training: true }) as tf.Tensor), false, vars)
    ?.dispose();
}

const weightsOf = (model: tfl.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));
async function momentsOf(optimizer: tf.Optimizer): Promise<number[][]> {
  return (await optimizer.getWeights()).map((w) => Array.from(w.tensor.dataSync()));
}

const tempDirs: string[] = [];
globalThis.addEventListener("unload", () => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  tempDirs.push(Deno.makeTempDirSync({ prefix: "checkpoint-test-" }));
  return tempDirs.at(-1)!;
}

Deno.test("save → load gives bit-identical weights and Adam moments, and resuming repeats the next step exactly", async () => {
  await initBackend({ ...quiet, force: "cpu" });
  const dir = tempDir();
  const [x, y] = [inputs(), targets()];
  const model = tinyModel();
  const optimizer = tf.train.adam(0.01);
  for (let i = 0; i < 10; i++) trainStep(model, optimizer, x, y);
  const config = { name: "tiny", lr: 0.01 };
  const path = await saveCheckpoint(dir, { model, optimizer, step: 10, config, rng: [1, 2, 3, 4] });
  assert.equal(path, join(dir, "step-10"));
  assert.equal(readFileSync(join(dir, "latest"), "utf8").trim(), "step-10");
  assert.deepEqual(readdirSync(path).sort(), [
    "model.json",
    "optimizer.bin",
    "optimizer.json",
    "state.json",
    "weights.bin",
  ]);

  const resumedOptimizer = tf.train.adam(0.01);
  const loaded = await loadLatest(dir, resumedOptimizer);
  assert.ok(loaded);
  assert.equal(loaded.step, 10);
  assert.deepEqual(loaded.config, config);
  assert.deepEqual(loaded.rng, [1, 2, 3, 4]);
  assert.deepEqual(weightsOf(loaded.model), weightsOf(model));
  assert.deepEqual(await momentsOf(resumedOptimizer), await momentsOf(optimizer));
  assert.equal((await optimizer.getWeights()).length, 1 + 2 * model.trainableWeights.length);

  for (let i = 0; i < 2; i++) {
    trainStep(model, optimizer, x, y);
    trainStep(loaded.model, resumedOptimizer, x, y);
  }
  const continued = weightsOf(model);
  assert.notDeepEqual(continued, weightsOf(tinyModel()), "training changed nothing");
  assert.deepEqual(weightsOf(loaded.model), continued); // bit-equal after two more steps
  assert.deepEqual(await momentsOf(resumedOptimizer), await momentsOf(optimizer));
  tf.disposeVariables();
});

Deno.test("after 120 Adam steps resuming is still bit-exact (the β-power accumulators are saved too)", async () => {
  await initBackend({ ...quiet, force: "cpu" });
  const dir = tempDir();
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 2 })] });
  const [x, y] = [tf.randomUniform([4, 3], 0, 1, "float32", 3), tf.randomUniform([4, 2], 0, 1, "float32", 4)];
  const optimizer = tf.train.adam(0.01);
  for (let i = 0; i < 120; i++) trainStep(model, optimizer, x, y);
  await saveCheckpoint(dir, { model, optimizer, step: 120 });
  const resumedOptimizer = tf.train.adam(0.01);
  const loaded = await loadLatest(dir, resumedOptimizer);
  assert.ok(loaded);
  trainStep(model, optimizer, x, y);
  trainStep(loaded.model, resumedOptimizer, x, y);
  assert.deepEqual(weightsOf(loaded.model), weightsOf(model));
  tf.disposeVariables();
});

Deno.test("the model loads with tf.loadLayersModel through the file handler and predicts the same", async () => {
  await initBackend({ ...quiet, force: "cpu" });
  const dir = tempDir();
  const model = tinyModel();
  await model.save(layersModelFiles(dir));
  const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
  assert.equal(json.format, "layers-model");
  assert.deepEqual(json.weightsManifest[0].paths, ["weights.bin"]);
  const again = await tfl.loadLayersModel(layersModelFiles(dir));
  const x = inputs();
  assert.deepEqual(
    Array.from((again.predict(x) as tf.Tensor).dataSync()),
    Array.from((model.predict(x) as tf.Tensor).dataSync()),
  );
  tf.disposeVariables();
});

Deno.test("a checkpoint folder served over http loads with tf.loadLayersModel(url), as in a browser", async () => {
  await initBackend({ ...quiet, force: "cpu" });
  const dir = tempDir();
  const model = tinyModel();
  await saveCheckpoint(dir, { model, optimizer: tf.train.adam(0.01), step: 1 });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (request) => {
    const file = join(dir, decodeURIComponent(new URL(request.url).pathname));
    return existsSync(file) ? new Response(readFileSync(file)) : new Response("not found", { status: 404 });
  });
  try {
    const loaded = await tfl.loadLayersModel(`http://127.0.0.1:${server.addr.port}/step-1/model.json`);
    assert.deepEqual(weightsOf(loaded), weightsOf(model));
  } finally {
    await server.shutdown();
  }
  tf.disposeVariables();
});

Deno.test("only the newest K checkpoints up to the last save are kept and latest follows it", async () => {
  await initBackend({ ...quiet, force: "cpu" });
  const dir = tempDir();
  const model = tinyModel();
  const optimizer = tf.train.adam(0.01);
  for (const step of [1, 2, 3, 4]) await saveCheckpoint(dir, { model, optimizer, step }, 2);
  assert.deepEqual(readdirSync(dir).sort(), ["latest", "step-3", "step-4"]);
  // Saving the same step again replaces it; concurrent saves are queued, not interleaved.
  await Promise.all([5, 5, 6].map((step) => saveCheckpoint(dir, { model, optimizer, step }, 2)));
  assert.deepEqual(readdirSync(dir).sort(), ["latest", "step-5", "step-6"]);
  assert.equal((await loadLatest(dir))?.step, 6);
  // A run resumed from an earlier checkpoint discards the later ones at its first save.
  await saveCheckpoint(dir, { model, optimizer, step: 4 }, 2);
  assert.deepEqual(readdirSync(dir).sort(), ["latest", "step-4"]);
  await assert.rejects(saveCheckpoint(dir, { model, optimizer, step: -1 }), /checkpoint.ts: step -1/);
  tf.disposeVariables();
});

Deno.test("loadLatest: null without checkpoints; half-written temp folders are ignored, then cleaned", async () => {
  await initBackend({ ...quiet, force: "cpu" });
  const dir = tempDir();
  assert.equal(await loadLatest(join(dir, "missing")), null);
  assert.equal(await loadLatest(dir), null);
  const model = constantModel(1);
  const optimizer = tf.train.adam(0.01);
  await saveCheckpoint(dir, { model, optimizer, step: 1 });
  // A killed save: temp folder with a truncated model.json and no weights.
  mkdirSync(join(dir, "tmp-99-dead"));
  writeFileSync(join(dir, "tmp-99-dead", "model.json"), '{"modelTopology": {"class_na');
  const loaded = await loadLatest(dir);
  assert.equal(loaded?.step, 1);
  assert.ok(loaded.model.getWeights().every((w) => w.dataSync().every((v) => v === 1)));
  await saveCheckpoint(dir, { model, optimizer, step: 2 });
  assert.deepEqual(readdirSync(dir).sort(), ["latest", "step-1", "step-2"]);
  // A save killed between moving the old step-2 away and renaming the new one in: latest names a missing folder.
  renameSync(join(dir, "step-2"), join(dir, "tmp-99-replaced"));
  assert.equal(latestCheckpointPath(dir), join(dir, "step-1"));
  writeFileSync(join(dir, "latest"), "garbage");
  assert.throws(() => latestCheckpointPath(dir), /latest names "garbage", not a step-<N> folder/);
  tf.disposeVariables();
});

Deno.test("a corrupt checkpoint file is an error naming the file", async () => {
  await initBackend({ ...quiet, force: "cpu" });
  const dir = tempDir();
  await saveCheckpoint(dir, { model: tinyModel(), optimizer: tf.train.adam(0.01), step: 1 });
  writeFileSync(join(dir, "step-1", "state.json"), "{");
  await assert.rejects(loadLatest(dir), /checkpoint.ts: .*step-1\/state.json is not valid JSON/);
  await assert.rejects(loadCheckpoint(join(dir, "nope")), /cannot read .*nope\/state.json/);
  writeFileSync(join(dir, "step-1", "state.json"), '{"step": 1}');
  await assert.rejects(loadLatest(dir, tf.train.sgd(0.1)), /optimizer.json holds Adam state, not SGD/);
  tf.disposeVariables();
});

Deno.test("a truncated newest checkpoint is skipped with a warning naming it; the previous complete one loads", async () => {
  await initBackend({ ...quiet, force: "cpu" });
  const dir = tempDir();
  for (const step of [1, 2]) {
    await saveCheckpoint(dir, { model: constantModel(step), optimizer: tf.train.adam(0.1), step });
  }
  const weights = join(dir, "step-2", "weights.bin");
  writeFileSync(weights, readFileSync(weights).subarray(0, 4 * 21267));
  await assert.rejects(loadCheckpoint(join(dir, "step-2")), /step-2: .*should have .* values/);
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.join(" "));
  try {
    const loaded = await loadLatest(dir, tf.train.adam(0.1));
    assert.equal(loaded?.step, 1);
    assert.ok(loaded.model.getWeights().every((w) => w.dataSync().every((v) => v === 1)));
  } finally {
    console.warn = warn;
  }
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], new RegExp(`${join(dir, "step-2")}: .*skipping this damaged checkpoint`));
  writeFileSync(join(dir, "step-1", "weights.bin"), "");
  console.warn = () => {};
  try {
    await assert.rejects(loadLatest(dir), /no checkpoint in .* loads: .*step-2: .*; .*step-1: /);
  } finally {
    console.warn = warn;
  }
  tf.disposeVariables();
});

Deno.test("killing a process in the middle of a save leaves the previous checkpoint loadable", async () => {
  await initBackend({ ...quiet, force: "cpu" });
  const dir = tempDir();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "lib/model/testing/interrupted_save.ts", dir],
    cwd: PROJECT,
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!out.includes("stalled")) {
    const { value, done } = await reader.read();
    if (done) break;
    out += value;
  }
  child.kill("SIGKILL");
  await child.status;
  reader.releaseLock();
  await child.stdout.cancel().catch(() => {});
  assert.ok(out.includes("stalled"), `the save never reached the optimizer state: ${out}`);
  const temp = readdirSync(dir).filter((n) => n.startsWith("tmp-"));
  assert.equal(temp.length, 1, "the killed save left its temp folder");
  assert.ok(existsSync(join(dir, temp[0], "weights.bin")), "it was killed after writing the model");
  assert.ok(!existsSync(join(dir, "step-2")));
  const loaded = await loadLatest(dir, tf.train.adam(0.1));
  assert.equal(loaded?.step, 1);
  assert.ok(loaded.model.getWeights().every((w) => w.dataSync().every((v) => v === 1)));
  await saveCheckpoint(dir, { model: loaded.model, optimizer: tf.train.adam(0.1), step: 3 });
  assert.deepEqual(readdirSync(dir).sort(), ["latest", "step-1", "step-3"]);
  tf.disposeVariables();
});
