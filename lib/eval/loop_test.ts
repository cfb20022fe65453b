import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../runtime/backend.ts";
import { kittiSplitSource } from "../data/datasets/sources.ts";
import { writeTinyKittiWithInstances } from "../data/datasets/testing/tiny_kitti.ts";
import { constantHeadsModel } from "../model/testing/constant_heads.ts";
import { evaluateModel, forEachPrediction } from "./loop.ts";
import { predictHeads } from "../model/inference.ts";
import type { HeadsRunner } from "../model/inference_pool.ts";

await initBackend({ force: "wasm", log: () => {} });

const CAR = 13;

Deno.test("validation scores a KITTI folder's own instance/ maps over the pseudo labels and names them", async () => {
  const dir = mkdtempSync(join(tmpdir(), "validation_test-"));
  try {
    const { kitti, pseudo, cars } = await writeTinyKittiWithInstances(dir, 2);
    // Road everywhere: every GT car is a false negative, so the FN count tells which instance maps were scored.
    const model = constantHeadsModel([5, ...new Array(18).fill(0)], 0, [0, 0]);
    const run = async () => {
      const ev = await evaluateModel(model, { source: kittiSplitSource(kitti, "val", pseudo), frames: 0, scale: 1 });
      return { fn: ev.result.panoptic!.perCategory.get(CAR)!.fn, source: ev.summary.instanceSource };
    };
    assert.deepEqual(await run(), { fn: cars[0] + cars[1], source: "kitti instance maps" });
    rmSync(join(kitti, "instance"), { recursive: true });
    assert.deepEqual(await run(), { fn: 2, source: `pseudo labels (${pseudo})` });
    model.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("the loop scores frames in order while a parallel runner answers out of order, with a bounded number in flight", async () => {
  const model = constantHeadsModel([0, 2, 0], 0.5, [0, 0]);
  let reading = 0, inNetwork = 0, mostInFlight = 0;
  const delays = [30, 1, 20, 1, 10, 1, 5];
  // Three frames at once, each answering after its own delay: later frames often finish first.
  const runner: HeadsRunner = {
    parallel: 3,
    onThisThread: false,
    async heads(rgb, height, width) {
      inNetwork++;
      mostInFlight = Math.max(mostInFlight, inNetwork + reading);
      await new Promise((r) => setTimeout(r, delays[rgb[0]]));
      inNetwork--;
      return { heads: await predictHeads(model, rgb, height, width), seconds: 0.001 };
    },
    close() {},
  };
  const scored: number[] = [];
  const seconds = await forEachPrediction(runner, [0, 1, 2, 3, 4, 5, 6], async (k) => {
    reading++;
    mostInFlight = Math.max(mostInFlight, inNetwork + reading);
    await new Promise((r) => setTimeout(r, 2));
    reading--;
    return { image: new Uint8Array(8 * 8 * 3).fill(k), height: 8, width: 8 };
  }, (frame, prediction, k, heads, times) => {
    assert.equal(frame.image[0], k);
    assert.equal(prediction.semantic.length, 64);
    assert.equal(heads.height, 8);
    assert.equal(times.network, 0.001);
    scored.push(k);
  });
  assert.deepEqual(scored, [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(seconds.length, 7);
  assert.ok(mostInFlight <= 4, `${mostInFlight} frames in flight, at most parallel + 1 = 4`);
  assert.ok(mostInFlight >= 3, `${mostInFlight} frames in flight: the runner's parallelism went unused`);
  model.dispose();
});
