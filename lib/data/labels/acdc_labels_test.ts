import assert from "node:assert/strict";
import {
  ACDC30_CLASSES,
  acdc30ToColors,
  colorsToAcdc30,
  LABEL_ID_TO_ACDC30,
  labelIdsToAcdc30,
  NOTEBOOK_COLOR_TO_ACDC30,
  notebookColorsToAcdc30,
  trainIdsToAcdc30,
} from "./acdc_labels.ts";
import { CITYSCAPES_LABELS, trainIdsToColors } from "./cityscapes_labels.ts";

Deno.test("ACDC-30: 30 classes, each Cityscapes label merged into exactly one", () => {
  assert.deepEqual(ACDC30_CLASSES.map((c) => c.id), [...Array(30).keys()]);
  for (const l of CITYSCAPES_LABELS) {
    assert.equal(ACDC30_CLASSES.filter((c) => c.cityscapes.includes(l.name)).length, 1, l.name);
  }
  const reached = new Set([...LABEL_ID_TO_ACDC30.subarray(0, 34)]);
  assert.equal(reached.size, 30);
});

Deno.test("ACDC-30 conversions from labelIds and trainIds", () => {
  assert.deepEqual([...labelIdsToAcdc30(Uint8Array.from([7, 9, 10, 16, 18, 26, 31, 4, 0, 250]))], [
    0,
    2,
    3,
    19,
    20,
    6,
    9,
    28,
    29,
    29,
  ]);
  assert.deepEqual([...trainIdsToAcdc30(Uint8Array.from([0, 2, 5, 6, 7, 11, 13, 16, 18, 255]))], [
    0,
    14,
    20,
    22,
    21,
    4,
    6,
    9,
    11,
    29,
  ]);
});

Deno.test("ACDC-30 colours: Cityscapes tunnel and the notebooks' tunnel both decode to tunnel", () => {
  const rgb = Uint8Array.from([150, 120, 90, 50, 120, 90, 20, 20, 20, 0, 0, 0, 0, 0, 142]);
  assert.deepEqual([...colorsToAcdc30(rgb, "a.png")], [19, 19, 28, 29, 6]);
  const ids = Uint8Array.from([...Array(30).keys()]);
  assert.deepEqual(colorsToAcdc30(acdc30ToColors(ids), "a.png"), ids);
  // Every Cityscapes-coloured trainId image decodes, and agrees with the trainId → ACDC-30 conversion.
  const trainIds = Uint8Array.from([...Array(19).keys()]);
  assert.deepEqual(colorsToAcdc30(trainIdsToColors(trainIds), "a.png"), trainIdsToAcdc30(trainIds));
  assert.throws(() => colorsToAcdc30(Uint8Array.from([1, 1, 1]), "b.png"), /b\.png: 1 pixels .*\(1,1,1\) × 1 px/);
});

Deno.test("ACDC-30, notebook decode: its own table only; the labels' tunnel and unknown colours become road", () => {
  const rgb = Uint8Array.from([150, 120, 90, 50, 120, 90, 20, 20, 20, 0, 0, 0, 0, 0, 142, 1, 1, 1, 70, 130, 180]);
  assert.deepEqual([...notebookColorsToAcdc30(rgb)], [0, 19, 28, 29, 6, 0, 25]);
  assert.equal(NOTEBOOK_COLOR_TO_ACDC30.size, 30);
  const ids = Uint8Array.from([...Array(30).keys()].filter((id) => id !== 19));
  assert.deepEqual(notebookColorsToAcdc30(acdc30ToColors(ids)), ids);
});
