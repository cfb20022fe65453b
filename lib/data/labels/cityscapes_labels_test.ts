import assert from "node:assert/strict";
import {
  CITYSCAPES_LABELS,
  COLOR_TO_LABEL_ID,
  colorsToLabelIds,
  colorsToTrainIds,
  IS_THING_TRAIN_ID,
  LABEL_ID_HAS_INSTANCES,
  LABEL_ID_TO_TRAIN_ID,
  labelById,
  labelIdsToColors,
  labelIdsToTrainIds,
  THING_TRAIN_IDS,
  TRAIN_CLASS_NAMES,
  trainIdsToColors,
  trainIdsToLabelIds,
} from "./cityscapes_labels.ts";
import { rgbKey } from "./label_maps.ts";

Deno.test("table has 34 labelIds + licence plate, 19 trainIds once each, 8 things", () => {
  assert.equal(CITYSCAPES_LABELS.length, 35);
  assert.deepEqual(CITYSCAPES_LABELS.map((l) => l.id), [...Array(34).keys(), -1]);
  const trainIds = CITYSCAPES_LABELS.map((l) => l.trainId).filter((t) => t !== 255).sort((a, b) => a - b);
  assert.deepEqual(trainIds, [...Array(19).keys()]);
  assert.deepEqual(THING_TRAIN_IDS, [11, 12, 13, 14, 15, 16, 17, 18]);
  assert.equal(IS_THING_TRAIN_ID.reduce((s, v) => s + v, 0), 8);
  assert.equal(IS_THING_TRAIN_ID[10], 0);
  for (const l of CITYSCAPES_LABELS) assert.equal(l.ignoreInEval, l.trainId === 255, l.name);
  assert.deepEqual(TRAIN_CLASS_NAMES.slice(11), [
    "person",
    "rider",
    "car",
    "truck",
    "bus",
    "train",
    "motorcycle",
    "bicycle",
  ]);
  // hasInstances: the 8 things + caravan and trailer (ignored in evaluation).
  assert.deepEqual([...LABEL_ID_HAS_INSTANCES.keys()].filter((i) => LABEL_ID_HAS_INSTANCES[i]), [
    24,
    25,
    26,
    27,
    28,
    29,
    30,
    31,
    32,
    33,
  ]);
  assert.deepEqual(labelById(16).color, [150, 120, 90]);
  assert.throws(() => labelById(34), /unknown Cityscapes labelId 34/);
});

Deno.test("labelId ↔ trainId conversions", () => {
  const labelIds = Uint8Array.from([7, 8, 26, 33, 0, 29, 16, 200]);
  assert.deepEqual([...labelIdsToTrainIds(labelIds)], [0, 1, 13, 18, 255, 255, 255, 255]);
  const all = Uint8Array.from([...Array(19).keys(), 255]);
  const back = trainIdsToLabelIds(all);
  assert.deepEqual([...back], [7, 8, 11, 12, 13, 17, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 31, 32, 33, 0]);
  assert.deepEqual(labelIdsToTrainIds(back), all);
  assert.equal(LABEL_ID_TO_TRAIN_ID.length, 256);
});

Deno.test("ambiguous colours decode to void, pole and car", () => {
  assert.equal(COLOR_TO_LABEL_ID.get(rgbKey(0, 0, 0)), 0);
  assert.equal(COLOR_TO_LABEL_ID.get(rgbKey(153, 153, 153)), 17);
  assert.equal(COLOR_TO_LABEL_ID.get(rgbKey(0, 0, 142)), 26);
  assert.equal(COLOR_TO_LABEL_ID.size, 29); // 35 labels; 4 more blacks, polegroup and licence plate repeat
});

Deno.test("colour maps ↔ ids round trip", () => {
  const trainIds = Uint8Array.from([...Array(19).keys(), 255]);
  const rgb = trainIdsToColors(trainIds);
  assert.deepEqual([...rgb.subarray(13 * 3, 14 * 3)], [0, 0, 142]);
  assert.deepEqual([...rgb.subarray(19 * 3)], [0, 0, 0]);
  assert.deepEqual(colorsToTrainIds(rgb, "x.png"), trainIds);
  const labelIds = Uint8Array.from([0, 5, 6, 7, 16, 23, 33]);
  assert.deepEqual(colorsToLabelIds(labelIdsToColors(labelIds), "x.png"), labelIds);
});

Deno.test("a colour not in the table is reported with its pixel count and the file", () => {
  const rgb = Uint8Array.from([128, 64, 128, 1, 2, 3, 1, 2, 3, 9, 9, 9]);
  assert.throws(
    () => colorsToTrainIds(rgb, "labels/000001_10.png"),
    (e: Error) =>
      e.message.startsWith("labels/000001_10.png: 3 pixels have 2 colour(s) not in the Cityscapes colour table") &&
      e.message.includes("(1,2,3) × 2 px") && e.message.includes("(9,9,9) × 1 px"),
  );
});
