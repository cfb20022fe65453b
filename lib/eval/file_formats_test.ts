import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chooseTask, detectGt, detectPred, pairPredictions } from "./file_formats.ts";

Deno.test("formats: ground truth and predictions are recognised; unknown folders list what they hold", () => {
  const dir = mkdtempSync(join(tmpdir(), "formats-test-"));
  try {
    const touch = (p: string) => {
      mkdirSync(join(dir, p, ".."), { recursive: true });
      writeFileSync(join(dir, p), "");
    };
    touch("kitti/semantic_rgb/000000_10.png");
    touch("gtFine/val/a/a_000000_000001_gtFine_labelIds.png");
    touch("gt.json");
    touch("pred/a_000000_000001_labelIds.png");
    touch("pred/a_000000_000001.txt");
    touch("other/readme.md");
    assert.equal(detectGt(join(dir, "kitti")), "kitti");
    assert.equal(detectGt(join(dir, "gtFine")), "cityscapes");
    assert.equal(detectGt(join(dir, "gt.json")), "coco-panoptic");
    assert.throws(() => detectGt(join(dir, "other")), /other: no ground truth recognised .*1 entries: readme\.md/);
    assert.throws(() => detectGt(join(dir, "nope")), /nope: ground truth not found/);
    assert.deepEqual(detectPred(join(dir, "pred")), ["labelIds", "instance-txt"]);
    assert.deepEqual(detectPred(join(dir, "gt.json")), ["coco-panoptic"]);
    assert.throws(() => detectPred(join(dir, "other")), /other: no predictions recognised/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("formats: the task follows from the formats, or --task picks among several; misfits are explained", () => {
  const gt = { path: "gtFine", format: "cityscapes" as const };
  assert.equal(chooseTask(gt, { path: "p", formats: ["labelIds"] }, null), "semantic");
  assert.equal(chooseTask(gt, { path: "p", formats: ["labelIds", "instance-txt"] }, "instance"), "instance");
  assert.throws(
    () => chooseTask(gt, { path: "p", formats: ["labelIds", "instance-txt"] }, null),
    /several tasks fit \(semantic, instance\): pass --task; found cityscapes ground truth in gtFine/,
  );
  assert.throws(
    () => chooseTask(gt, { path: "p.json", formats: ["coco-panoptic"] }, null),
    /allow no evaluation: found cityscapes ground truth in gtFine and coco-panoptic predictions in p\.json/,
  );
  assert.throws(
    () => chooseTask(gt, { path: "p", formats: ["labelIds"] }, "panoptic"),
    /task panoptic needs coco-panoptic ground truth and coco-panoptic predictions/,
  );
  assert.throws(() => chooseTask(gt, { path: "p", formats: ["labelIds"] }, "depth"), /unknown task "depth"/);
});

Deno.test("formats: predictions pair with frames by <frame>_ / <frame>. prefixes, never by a longer frame name", () => {
  const files = ["r/000001_10_labelIds.png", "r/000001_100_labelIds.png", "r/a_1_2.txt"];
  assert.deepEqual(pairPredictions(["000001_10", "000001_100", "a_1_2"], files, "r"), files);
  assert.throws(() => pairPredictions(["000002_10"], files, "r"), /r: found no prediction for frame 000002_10/);
  assert.throws(
    () => pairPredictions(["a"], ["r/a_x.png", "r/a_y.png"], "r"),
    /r: several predictions for frame a: a_x\.png, a_y\.png/,
  );
});
