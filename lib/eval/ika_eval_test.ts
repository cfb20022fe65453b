import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../runtime/backend.ts";
import { labelIdsToIka12 } from "../data/labels/ika_labels.ts";
import { ensureIkaStandIn } from "../data/datasets/ika_standin.ts";
import { tinyLabelIds, writeTinyKitti } from "../data/datasets/testing/tiny_kitti.ts";
import { constantHeadsModel } from "../model/testing/constant_heads.ts";
import { evaluateModel } from "./loop.ts";
import { evaluateIka } from "./ika_eval.ts";

await initBackend({ force: "wasm", log: () => {} });

/** IoU per ika-12 class (none = void) of a prediction that is ika-12 class `p` everywhere, counted from the GT. */
function constantIou(gts: Uint8Array[], p: number): number[] {
  const counts = new Array(11).fill(0);
  for (const gt of gts) for (const v of gt) if (v < 11) counts[v]++;
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((n, c) => (c === p ? n / total : n > 0 ? 0 : NaN));
}

function nanMean(xs: number[]): number {
  const kept = xs.filter((x) => !Number.isNaN(x));
  return kept.reduce((a, b) => a + b, 0) / kept.length;
}

const SKY_TRAIN_ID = 10, SKY_IKA12 = 5;

Deno.test("ika-12 scores of a model that predicts sky everywhere, on two stand-in frames", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ika_eval_test-"));
  try {
    await writeTinyKitti(join(dir, "kitti"), "val", 2);
    const { dir: ika } = await ensureIkaStandIn(join(dir, "kitti"), "val", join(dir, "ika"));
    const logits = new Array(19).fill(0);
    logits[SKY_TRAIN_ID] = 5;
    const model = constantHeadsModel(logits, 0, [0, 0]);
    const seen: string[] = [];
    const before = tf.memory().numTensors;
    const ev = await evaluateIka(model, ika, {
      onFrame: (frame, predicted, done, total) => {
        assert.ok(predicted.every((v) => v === SKY_IKA12));
        assert.equal(predicted.length, frame.width * frame.height);
        seen.push(`${frame.name} ${done}/${total}`);
      },
    });
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(seen, ["000000_10 1/2", "000001_10 2/2"]);
    const gts = [0, 1].map((k) => labelIdsToIka12(tinyLabelIds(k)));
    const expected = constantIou(gts, SKY_IKA12);
    assert.equal(ev.classNames.length, 11);
    assert.equal(ev.classNames[SKY_IKA12], "sky");
    ev.iou.forEach((v, c) => assert.ok(Math.abs(v - expected[c]) < 1e-12, `class ${c}: ${v} vs ${expected[c]}`));
    assert.ok(Math.abs(ev.miou - nanMean(expected)) < 1e-12);
    assert.ok(ev.miou > 0 && ev.miou < 0.1);
    ev.perFrame.forEach((f, k) => assert.ok(Math.abs(f.miou - nanMean(constantIou([gts[k]], SKY_IKA12))) < 1e-12));
    assert.ok(ev.secondsPerFrame > 0);

    const one = await evaluateIka(model, ika, { frames: 1, scale: 0.5 });
    assert.deepEqual(one.perFrame.map((f) => f.name), ["000000_10"]);
    assert.ok(Math.abs(one.miou - nanMean(constantIou([gts[0]], SKY_IKA12))) < 1e-12);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Three 1x1-conv heads with seeded random weights: predictions that vary with the image. */
function randomHeads(): tfl.LayersModel {
  const input = tfl.input({ shape: [null, null, 3] });
  const head = (filters: number, seed: number) =>
    tfl.layers.conv2d({ filters, kernelSize: 1, kernelInitializer: tfl.initializers.randomNormal({ seed }) })
      .apply(input) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: [head(19, 1), head(1, 2), head(2, 3)] });
}

Deno.test("on the stand-in, ika-12 scores equal those training's validation computes from the KITTI labels", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ika_eval_test-"));
  try {
    const kitti = join(dir, "kitti");
    await writeTinyKitti(kitti, "val", 2);
    const { dir: ika } = await ensureIkaStandIn(kitti, "val", join(dir, "ika"));
    const model = randomHeads();
    const predictedClasses = new Set<number>();
    const ev = await evaluateIka(model, ika, { onFrame: (_, p) => p.forEach((v) => predictedClasses.add(v)) });
    assert.ok(predictedClasses.size > 2, "the model predicts several classes");
    const kittiEv = await evaluateModel(model, {
      source: { kind: "kitti", root: kitti, split: "val" },
      frames: 0,
      scale: 1,
    });
    assert.deepEqual(ev.iou, kittiEv.schemes!.ika12.iou);
    assert.equal(ev.miou, kittiEv.schemes!.ika12.miou);
    assert.equal(ev.pixelAccuracy, kittiEv.schemes!.ika12.pixelAccuracy);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("an empty ika folder is an error naming it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ika_eval_test-"));
  try {
    Deno.mkdirSync(join(dir, "input"));
    Deno.mkdirSync(join(dir, "label"));
    await assert.rejects(evaluateIka(constantHeadsModel([0, 1], 0, [0, 0]), dir), /ika_eval_test-.*: no ika frames/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
