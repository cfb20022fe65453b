import assert from "node:assert/strict";
import { batches, livePipelineWorkers, measurePipelineThroughput, type PipelineOptions } from "./pipeline.ts";
import type { Batch } from "./prepare.ts";
import type { DatasetSource } from "../datasets/sources.ts";
import { SHARED_KITTI } from "../../testing/shared_data.ts";

const source: DatasetSource = { kind: "synthetic", count: 5, height: 48, width: 64, seed: 1 };
const base: PipelineOptions = {
  source,
  batchSize: 2,
  seed: 3,
  epochs: 1,
  config: { augment: { cropHeight: 32, cropWidth: 40 } },
};

async function collect(options: PipelineOptions): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of batches(options)) out.push(b);
  return out;
}

Deno.test("batches have NHWC images in [-1,1] and matching target arrays", async () => {
  const out = await collect({ ...base, workers: 0, dropRemainder: false });
  assert.deepEqual(out.map((b) => b.size), [2, 2, 1]);
  const b = out[0];
  assert.equal(b.image.length, 2 * 32 * 40 * 3);
  assert.ok(b.image.every((v) => v >= -1 && v <= 1));
  assert.ok(b.image.some((v) => v < -0.5) && b.image.some((v) => v > 0.5));
  for (const key of ["semantic", "semanticWeights", "center", "centerWeights", "offsetWeights"] as const) {
    assert.equal(b[key].length, 2 * 32 * 40, key);
  }
  assert.equal(b.offsets.length, 2 * 32 * 40 * 2);
  assert.ok(out.some((x) => x.center.some((v) => v === 1)), "some instance centre is present");
  const names = out.flatMap((x) => x.names).sort();
  assert.deepEqual(names, ["synthetic_0000", "synthetic_0001", "synthetic_0002", "synthetic_0003", "synthetic_0004"]);
});

Deno.test("workers produce exactly the same batches as the calling thread (seeded), and epochs reshuffle", async () => {
  const opts = { ...base, epochs: 2 };
  const inProcess = await collect({ ...opts, workers: 0 });
  const inWorkers = await collect({ ...opts, workers: 2 });
  assert.equal(inProcess.length, 5); // 10 frames over 2 epochs, batch 2
  assert.deepEqual(inWorkers, inProcess);
  const epoch0 = inProcess.flatMap((b) => b.names).slice(0, 5), epoch1 = inProcess.flatMap((b) => b.names).slice(5);
  assert.deepEqual([...epoch0].sort(), [...epoch1].sort());
  assert.notDeepEqual(epoch0, epoch1);
  const other = await collect({ ...opts, workers: 0, seed: 4 });
  assert.notDeepEqual(other[0].image, inProcess[0].image);
});

Deno.test("skipSamples resumes the stream exactly where it was, across an epoch boundary", async () => {
  const opts = { ...base, epochs: 2, workers: 0 };
  const whole = await collect(opts);
  const resumed = await collect({ ...opts, skipSamples: 6 });
  assert.deepEqual(resumed, whole.slice(3));
});

Deno.test("a failing frame rejects the stream with the frame's error, and workers are closed", async () => {
  await assert.rejects(collect({ ...base, workers: 1, names: ["synthetic_0000", "missing_frame"] }), /missing_frame/);
  assert.equal(livePipelineWorkers(), 0);
});

Deno.test("stopping an unbounded stream early terminates its workers", async () => {
  for await (const b of batches({ ...base, workers: 2, epochs: undefined })) {
    assert.equal(b.size, 2);
    assert.equal(livePipelineWorkers(), 2);
    break;
  }
  assert.equal(livePipelineWorkers(), 0);
});

Deno.test("measurePipelineThroughput reports images per second", async () => {
  const r = await measurePipelineThroughput({
    source,
    cropHeight: 32,
    cropWidth: 40,
    workers: 1,
    batchSize: 2,
    batches: 3,
  });
  assert.equal(r.images, 6);
  assert.ok(r.seconds > 0 && r.imagesPerSecond > 0 && Number.isFinite(r.imagesPerSecond));
});

const KITTI = SHARED_KITTI;

Deno.test("KITTI: 3 frames through 2 workers give cropped batches with real labels and no instance weights", async () => {
  const names = ["000000_10", "000001_10", "000002_10"];
  const out = await collect({
    source: { kind: "kitti", root: KITTI },
    names,
    batchSize: 3,
    seed: 0,
    epochs: 1,
    workers: 2,
    config: { augment: { cropHeight: 64, cropWidth: 128, minScale: 0.25, maxScale: 0.25 } },
  });
  assert.equal(out.length, 1);
  const b = out[0];
  assert.deepEqual([...b.names].sort(), names);
  assert.equal(b.image.length, 3 * 64 * 128 * 3);
  const classes = new Set(b.semantic);
  assert.ok(classes.has(0) && classes.size >= 4, `trainIds seen: ${[...classes]}`);
  assert.ok(b.centerWeights.every((v) => v === 0), "KITTI here has no instance labels");
});
