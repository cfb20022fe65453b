import assert from "node:assert/strict";
import { trainIdsToAcdc30 } from "../data/labels/acdc_labels.ts";
import * as tf from "@tensorflow/tfjs-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../runtime/backend.ts";
import { writeTinyKitti } from "../data/datasets/testing/tiny_kitti.ts";
import { semanticResult } from "../metrics/semantic.ts";
import { constantHeadsModel } from "../model/testing/constant_heads.ts";
import {
  accumulateIkaProtocol,
  createIkaProtocolStats,
  evaluateIkaProtocol,
  IKA_PROTOCOL_RESOLUTION,
  ikaProtocolSection,
} from "./ika_protocol.ts";

await initBackend({ force: "wasm", log: () => {} });

const ROAD = [128, 64, 128], SIDEWALK = [244, 35, 232], SKY = [70, 130, 180], BLACK = [0, 0, 0];
const LABELLED_TUNNEL = [150, 120, 90];
/** trainIds; 255 (void) is ACDC-30's 29 "None". */
const P_ROAD = 0, P_SIDEWALK = 1, P_SKY = 10, P_CAR = 13, P_VOID = 255;
/** ACDC-30 ids. */
const ROAD_ID = 0, SIDEWALK_ID = 1, CAR_ID = 6, TUNNEL_ID = 19, SKY_ID = 25, NONE_ID = 29;

Deno.test("ika's protocol on a hand-made case: None scored, tunnel decoded as road, predicted-only car counted as 0", () => {
  const stats = createIkaProtocolStats();
  // Frame A. GT road, road, tunnel (the labels' colour → road), None; predicted road ×3, sidewalk.
  accumulateIkaProtocol(
    stats,
    Uint8Array.from([...ROAD, ...ROAD, ...LABELLED_TUNNEL, ...BLACK]),
    trainIdsToAcdc30(Uint8Array.from([P_ROAD, P_ROAD, P_ROAD, P_SIDEWALK])),
    "A",
  );
  // Frame B. GT None, sky, sky, sidewalk; predicted None (void), sky, car (absent from every GT), sidewalk.
  accumulateIkaProtocol(
    stats,
    Uint8Array.from([...BLACK, ...SKY, ...SKY, ...SIDEWALK]),
    trainIdsToAcdc30(Uint8Array.from([P_VOID, P_SKY, P_CAR, P_SIDEWALK])),
    "B",
  );
  // One confusion matrix over both frames:
  //   road     TP 3 (the tunnel pixel included)      → 3/3 = 1
  //   None     TP 1, FN 1 (A's None as sidewalk)     → 1/2
  //   sidewalk TP 1, FP 1 (A's None)                 → 1/2
  //   sky      TP 1, FN 1 (B's sky as car)           → 1/2
  //   car      FP 1, not in the GT: IoU 0, counted   → 0
  //   tunnel and the other 24 classes: TP+FP+FN = 0, left out.
  // mIoU = (1 + 1/2 + 1/2 + 1/2 + 0) / 5 = 0.5. Dropping car would give 2.5/4 = 0.625; None as void 2.5/4 (sidewalk
  // 1/1); tunnel decoded as tunnel (1/1 road → 2/3, tunnel 0, 6 classes) 0.361; per-frame mIoUs averaged 0.479.
  const section = ikaProtocolSection(semanticResult(stats));
  assert.equal(section.miou, 0.5);
  assert.equal(section.classes, 5);
  assert.equal(section.pixelAccuracy, 6 / 8);
  const iou = section.perClass.map((c) => c.iou);
  assert.deepEqual(
    [ROAD_ID, NONE_ID, SIDEWALK_ID, SKY_ID, CAR_ID].map((id) => iou[id]),
    [1, 0.5, 0.5, 0.5, 0],
  );
  assert.ok(Number.isNaN(iou[TUNNEL_ID]));
  assert.deepEqual([section.perClass[NONE_ID].name, section.perClass[TUNNEL_ID].name], ["none", "tunnel"]);
  assert.deepEqual(section.resolution, [368, 1248]);
});

const SKY_TRAIN_ID = 10;

Deno.test("ika's protocol on a tiny KITTI frame: resized to 368x1248, a model that predicts sky everywhere", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ika_protocol_test-"));
  try {
    const names = await writeTinyKitti(dir, "val", 2);
    const logits = new Array(19).fill(0);
    logits[SKY_TRAIN_ID] = 5;
    const model = constantHeadsModel(logits, 0, [0, 0]);
    const seen: string[] = [];
    const before = tf.memory().numTensors;
    const r = await evaluateIkaProtocol(model, dir, names.slice(0, 1), {
      onFrame: (done, total) => seen.push(`${done}/${total}`),
    });
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(seen, ["1/1"]);
    // The 24x16 frame holds labelIds 0..33 in turn (i % 34); 368x1248 is 23x52 times it, so nearest keeps the
    // fractions. Sky (labelId 23) is 11 of 384 pixels, every pixel is predicted sky. Of the 30 classes, the labels
    // hold 28: not static (Cityscapes paints it black: None) and not tunnel (its colour decodes to road).
    const [height, width] = IKA_PROTOCOL_RESOLUTION;
    assert.equal(r.pixels, height * width);
    assert.equal(r.iou[SKY_ID], 11 / 384);
    const section = ikaProtocolSection(r);
    assert.equal(section.classes, 28);
    assert.ok(Number.isNaN(r.iou[TUNNEL_ID]) && Number.isNaN(r.iou[28]));
    assert.equal(r.iou[NONE_ID], 0);
    assert.ok(Math.abs(r.miou - 11 / 384 / 28) < 1e-15);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("ika's protocol scores a full-label (ACDC-30) head's own prediction: None everywhere", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ika_protocol_test-"));
  try {
    const names = await writeTinyKitti(dir, "val", 1);
    const logits = new Array(30).fill(0);
    logits[NONE_ID] = 5; // a class no 19-class head can predict
    const r = await evaluateIkaProtocol(constantHeadsModel(logits, 0, [0, 0]), dir, names);
    // None holds labelIds 0..3 of the frame's 34 (and static's black), 5 of every 34 pixels of 384: IoU = share.
    const none = r.iou[NONE_ID];
    assert.ok(none > 0.1 && none < 0.2, `None IoU ${none}`);
    assert.equal(r.iou[SKY_ID], 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
