import assert from "node:assert/strict";
import { LABEL_ID_TO_ACDC30, TRAIN_ID_TO_ACDC30 } from "./acdc_labels.ts";
import { LABEL_ID_TO_TRAIN_ID, NUM_LABEL_IDS, THING_TRAIN_IDS } from "./cityscapes_labels.ts";
import { channelsOf, LABEL_SETS, labelSetOfChannels, sharedClasses } from "./descriptor.ts";

const { cityscapes19, acdc30 } = LABEL_SETS;

Deno.test("cityscapes19 is the trainId table: labelIds map as cityscapesScripts' helpers do, same things", () => {
  assert.equal(cityscapes19.classes.length, 19);
  assert.deepEqual(cityscapes19.fromLabelIds, LABEL_ID_TO_TRAIN_ID);
  assert.deepEqual(cityscapes19.thingIds, THING_TRAIN_IDS);
  assert.equal(cityscapes19.ignoreLabel, 255);
  assert.equal(cityscapes19.labelDivisor, 1000);
});

Deno.test("acdc30 holds every labelId in ika's class (none included); its things exclude caravan and trailer", () => {
  assert.equal(acdc30.classes.length, 30);
  for (let id = 0; id < NUM_LABEL_IDS; id++) assert.equal(acdc30.fromLabelIds[id], LABEL_ID_TO_ACDC30[id], `${id}`);
  assert.equal(acdc30.fromLabelIds[NUM_LABEL_IDS], 255);
  assert.deepEqual(
    acdc30.thingIds.map((id) => acdc30.classes[id].name),
    ["person", "rider", "car", "truck", "bus", "on rails", "motorcycle", "bicycle"],
  );
  assert.equal(acdc30.isThing[acdc30.classes.find((c) => c.name === "caravan")!.id], 0);
});

Deno.test("channelsOf: the ACDC-30 channel of each trainId is the class its labelIds map to", () => {
  const channels = channelsOf(acdc30, cityscapes19);
  assert.deepEqual(channels, [...Array(19).keys()].map((t) => TRAIN_ID_TO_ACDC30[t]));
  assert.deepEqual(channelsOf(cityscapes19, cityscapes19), [...Array(19).keys()]);
  assert.throws(() => channelsOf(cityscapes19, acdc30), /cityscapes19 has no class holding acdc30's "parking"/);
});

Deno.test("sharedClasses: each trainId has its ACDC-30 class; the eleven classes Cityscapes ignores have none", () => {
  const toAcdc = sharedClasses(cityscapes19, acdc30);
  for (let t = 0; t < 19; t++) assert.equal(toAcdc[TRAIN_ID_TO_ACDC30[t]], t);
  assert.deepEqual(
    acdc30.classes.filter((c) => toAcdc[c.id] === -1).map((c) => c.name),
    [
      "parking",
      "rail track",
      "caravan",
      "trailer",
      "guard rail",
      "bridge",
      "tunnel",
      "ground",
      "dynamic",
      "static",
      "none",
    ],
  );
  assert.deepEqual(sharedClasses(acdc30, cityscapes19), [...Array(19).keys()].map((t) => TRAIN_ID_TO_ACDC30[t]));
  assert.deepEqual(sharedClasses(acdc30, acdc30), [...Array(30).keys()]);
});

Deno.test("labelSetOfChannels names the label set of a head's width, and fails on others", () => {
  assert.equal(labelSetOfChannels(30).name, "acdc30");
  assert.equal(labelSetOfChannels(19).name, "cityscapes19");
  assert.throws(() => labelSetOfChannels(7), /7 classes matches no label set \(cityscapes19: 19, acdc30: 30\)/);
});
