import assert from "node:assert/strict";
import { assertKnownLabelIds, labelIdsToTrainIds } from "../labels/cityscapes_labels.ts";
import { decodeCityscapesInstanceIds, decodeKittiInstanceIds, splitInstances } from "./instance_split.ts";

Deno.test("Cityscapes instanceIds: instances numbered by raw id, crowd groups on things, stuff untouched", () => {
  // road(7), car 26001, car 26000, car crowd group (26), caravan 29000 (ignored class), person 24000
  const raw = Uint16Array.from([7, 26001, 26001, 26000, 26, 29000, 24000, 7]);
  const { labelIds, keys } = decodeCityscapesInstanceIds(raw);
  assert.deepEqual([...labelIds], [7, 26, 26, 26, 26, 29, 24, 7]);
  const semantic = labelIdsToTrainIds(labelIds);
  const { instances, crowd, count } = splitInstances(semantic, keys);
  assert.equal(count, 3);
  assert.deepEqual([...instances], [0, 3, 3, 2, 0, 0, 1, 0]);
  assert.deepEqual([...crowd], [0, 0, 0, 0, 1, 0, 0, 0]);
});

Deno.test("KITTI instance maps: labelId*256 + k, k = 0 on a thing is crowd", () => {
  const raw = Uint16Array.from([7 * 256, 26 * 256 + 1, 26 * 256 + 2, 26 * 256, 24 * 256 + 1, 11 * 256]);
  const { labelIds, keys } = decodeKittiInstanceIds(raw);
  assert.deepEqual([...labelIds], [7, 26, 26, 26, 24, 11]);
  const { instances, crowd, count } = splitInstances(labelIdsToTrainIds(labelIds), keys);
  assert.equal(count, 3);
  assert.deepEqual([...instances], [0, 2, 3, 0, 1, 0]);
  assert.deepEqual([...crowd], [0, 0, 0, 1, 0, 0]);
});

Deno.test("assertKnownLabelIds reports values above 33 with counts and the file", () => {
  assertKnownLabelIds(Uint8Array.from([0, 33, 7]), "ok.png");
  assert.throws(
    () => assertKnownLabelIds(Uint8Array.from([7, 34, 200, 200]), "semantic/000001_10.png"),
    /^Error: semantic\/000001_10\.png: holds values that are not Cityscapes labelIds \(0\.\.33\): 34 × 1 px, 200 × 2 px$/,
  );
});
