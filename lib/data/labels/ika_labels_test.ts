import assert from "node:assert/strict";
import { COLOR_TO_LABEL_ID } from "./cityscapes_labels.ts";
import {
  colorsToIka12,
  IKA12_CLASSES,
  ika12ToColors,
  LABEL_ID_TO_IKA12,
  labelIdsToIka12,
  trainIdsToIka12,
} from "./ika_labels.ts";
import { rgbKey } from "./label_maps.ts";
import { sharedData } from "../../testing/shared_data.ts";

const XML = sharedData("ika", "convert_cityscapes_to_ika_reduced.xml");

Deno.test("ika-12 agrees with every rule of ika's convert_cityscapes_to_ika_reduced.xml", () => {
  const xml = Deno.readTextFileSync(XML);
  const rules = [...xml.matchAll(/fromColour="(\d+) (\d+) (\d+)" toValue="(\d+)" Name="([^"]+)"/g)];
  assert.equal(rules.length, 29);
  for (const [, r, g, b, value, name] of rules) {
    const labelId = COLOR_TO_LABEL_ID.get(rgbKey(+r, +g, +b));
    assert.ok(labelId !== undefined, name);
    assert.equal(LABEL_ID_TO_IKA12[labelId], +value, name);
  }
});

Deno.test("ika-12 conversions from labelIds and trainIds; 5 thing classes", () => {
  assert.deepEqual(IKA12_CLASSES.filter((c) => c.isThing).map((c) => c.name), [
    "person",
    "two-wheeler",
    "car",
    "truck",
    "bus",
  ]);
  // polegroup → pole, licence plate has no labelId, static → none, caravan → bus, trailer → car
  assert.deepEqual([...labelIdsToIka12(Uint8Array.from([18, 4, 29, 30, 16, 10]))], [3, 11, 10, 8, 2, 11]);
  const trainIds = Uint8Array.from([...Array(19).keys(), 255]);
  assert.deepEqual([...trainIdsToIka12(trainIds)], [0, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7, 8, 9, 10, 11, 7, 7, 11]);
});

Deno.test("ika-12 colours round trip; a Cityscapes colour outside ika's table is an error naming the file", () => {
  const ids = Uint8Array.from([...Array(12).keys()]);
  assert.deepEqual(colorsToIka12(ika12ToColors(ids), "l.png"), ids);
  assert.throws(
    () => colorsToIka12(Uint8Array.from([102, 102, 156, 0, 0, 0]), "label/2_frame_000001_gtFine_labelColor.png"),
    /^Error: label\/2_frame_000001_gtFine_labelColor\.png: 1 pixels .*ika-12 colour table: \(102,102,156\) × 1 px/,
  );
});
