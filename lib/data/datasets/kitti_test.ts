import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { labelIdsToColors } from "../labels/cityscapes_labels.ts";
import { readImageSize, writePng } from "../../io/image_io.ts";
import {
  checkKittiFolder,
  listKittiFrames,
  readKittiFrame,
  readKittiLabelIds,
  readKittiSplit,
  verifyKittiFrames,
} from "./kitti.ts";
import { labelIdsToAcdc30 } from "../labels/acdc_labels.ts";
import { channelsOf, LABEL_SETS } from "../labels/descriptor.ts";
import { writeTinyKittiWithInstances } from "./testing/tiny_kitti.ts";
import { SHARED_KITTI } from "../../testing/shared_data.ts";
import { PROJECT_ROOT } from "../../io/project.ts";

const KITTI = SHARED_KITTI;

Deno.test("real KITTI folder: complete, 140/60 splits, every one of the 200 frames reads", async () => {
  assert.deepEqual(await checkKittiFolder(KITTI), []);
  assert.equal(readKittiSplit(KITTI, "acdc_train").length, 140);
  assert.equal(readKittiSplit(KITTI, "acdc_val").length, 60);
  const names = listKittiFrames(KITTI);
  assert.equal(names.length, 200);
  const result = await verifyKittiFrames(KITTI);
  assert.deepEqual(result.problems, []);
  assert.equal(result.frames, 200);
  // Independent counts from the files: total pixels from the headers, car pixels from the raw label colours.
  let total = 0;
  let car = 0;
  for (const name of names) {
    const { width, height } = await readImageSize(join(KITTI, "image_2", `${name}.png`));
    total += width * height;
    const label = await sharp(join(KITTI, "semantic_rgb", `${name}.png`)).raw().toBuffer();
    for (let i = 0; i < label.length; i += 3) if (label[i] === 0 && label[i + 1] === 0 && label[i + 2] === 142) car++;
  }
  assert.equal(result.trainIdPixels.reduce((a, b) => a + b, 0), total);
  assert.equal(result.trainIdPixels[13], car);
  const s = await readKittiFrame(KITTI, names[0]);
  assert.equal(s.image.length, s.width * s.height * 3);
  assert.ok(s.semantic.every((v) => v < 19 || v === 255));
  assert.equal(s.instances, null);
});

/** A 3-frame KITTI folder of 8x6 frames: left half road (labelId 7), right half car (26), top row sky (23). */
async function makeKitti(dir: string): Promise<Uint8Array> {
  const w = 8, h = 6;
  const labelIds = new Uint8Array(w * h).map((_, i) => (i < w ? 23 : i % w < 4 ? 7 : 26));
  for (const sub of ["image_2", "semantic_rgb", "semantic", "splits"]) mkdirSync(join(dir, sub), { recursive: true });
  for (const name of ["000000_10", "000001_10", "000002_10"]) {
    await writePng(join(dir, "image_2", `${name}.png`), {
      data: new Uint8Array(w * h * 3).fill(90),
      width: w,
      height: h,
      channels: 3,
    });
    await writePng(join(dir, "semantic_rgb", `${name}.png`), {
      data: labelIdsToColors(labelIds),
      width: w,
      height: h,
      channels: 3,
    });
    await writePng(join(dir, "semantic", `${name}.png`), { data: labelIds, width: w, height: h, channels: 1 });
  }
  writeFileSync(join(dir, "splits", "acdc_train.txt"), "000000_10.png\n000002_10.png\n");
  writeFileSync(join(dir, "splits", "acdc_val.txt"), "000001_10.png\n");
  return labelIds;
}

function withKitti(fn: (dir: string, labelIds: Uint8Array) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), "kitti_test-"));
    try {
      await fn(dir, await makeKitti(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const expectedTrainIds = (labelIds: Uint8Array) => [...labelIds].map((v) => ({ 23: 10, 7: 0, 26: 13 })[v]);

Deno.test(
  "semantic/ (labelIds) and semantic_rgb/ (colours) give the same trainIds",
  withKitti(async (dir, labelIds) => {
    const a = await readKittiFrame(dir, "000001_10");
    const b = await readKittiFrame(dir, "000001_10", { semantic: "semantic_rgb" });
    assert.deepEqual([...a.semantic], expectedTrainIds(labelIds));
    assert.deepEqual(b.semantic, a.semantic);
    assert.equal(a.width, 8);
    assert.equal(a.image[5], 90);
    assert.deepEqual(await checkKittiFolder(dir, { expectedFrames: 3 }), []);
    assert.deepEqual(readKittiSplit(dir, "acdc_train"), ["000000_10", "000002_10"]);
  }),
);

Deno.test(
  "KITTI instance/ and a Cityscapes-format instanceDir give instances and crowd",
  withKitti(async (dir, labelIds) => {
    const w = 8, h = 6;
    // car pixels: column 4-5 → instance 1, columns 6-7 → instance 2, except the bottom row = crowd (k = 0)
    const kitti = new Uint16Array(w * h).map((_, i) => {
      const id = labelIds[i], x = i % w, y = Math.floor(i / w);
      if (id !== 26) return id * 256;
      return y === h - 1 ? 26 * 256 : 26 * 256 + (x < 6 ? 1 : 2);
    });
    const cityscapes = new Uint16Array(kitti.map((v) => (v & 255 ? (v >> 8) * 1000 + (v & 255) - 1 : v >> 8)));
    const pseudo = join(dir, "pseudo");
    await writePng(join(pseudo, "000000_10_instanceIds.png"), { data: cityscapes, width: w, height: h });
    const b = await readKittiFrame(dir, "000000_10", { instanceDir: pseudo });
    await assert.rejects(
      readKittiFrame(dir, "000001_10", { instanceDir: pseudo }),
      /missing pair: .*image_2\/000001_10\.png has no instance map .*pseudo\/000001_10_instanceIds\.png/,
    );
    mkdirSync(join(dir, "instance"));
    await writePng(join(dir, "instance", "000000_10.png"), { data: kitti, width: w, height: h });
    const a = await readKittiFrame(dir, "000000_10");
    for (const s of [a, b]) {
      assert.deepEqual([...s.instances!.subarray(w, 2 * w)], [0, 0, 0, 0, 1, 1, 2, 2]);
      assert.deepEqual([...s.crowd!.subarray((h - 1) * w)], [0, 0, 0, 0, 1, 1, 1, 1]);
      assert.equal(s.crowd!.reduce((n, v) => n + v, 0), 4);
    }
    await assert.rejects(
      readKittiFrame(dir, "000001_10", { instanceDir: pseudo }),
      /missing pair: .*image_2\/000001_10\.png has no instance map .*instance\/000001_10\.png/,
      "with instance/, its maps are required (the pseudo labels are not used)",
    );
  }),
);

Deno.test("KITTI's own instance/ maps win over the Cityscapes-format pseudo labels of instanceDir", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kitti_test-"));
  try {
    const { kitti, pseudo, names, cars } = await writeTinyKittiWithInstances(dir, 2);
    const maxInstance = (s: { instances: Int32Array | null }) => s.instances!.reduce((m, v) => Math.max(m, v), 0);
    for (const [k, name] of names.entries()) {
      assert.ok(cars[k] > 1, "the two label sets disagree");
      assert.equal(maxInstance(await readKittiFrame(kitti, name, { instanceDir: pseudo })), cars[k], "real maps");
      assert.equal(maxInstance(await readKittiFrame(kitti, name)), cars[k]);
    }
    rmSync(join(kitti, "instance"), { recursive: true });
    assert.equal(maxInstance(await readKittiFrame(kitti, names[0], { instanceDir: pseudo })), 1, "pseudo labels");
    assert.equal((await readKittiFrame(kitti, names[0])).instances, null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("labels acdc30: semantics in ika's classes, the same instances on the Cityscapes thing classes", async () => {
  const name = listKittiFrames(KITTI)[0];
  const options = { instanceDir: join(PROJECT_ROOT, "data", "kitti-instances") };
  const [trainIds, acdc] = await Promise.all([
    readKittiFrame(KITTI, name, options),
    readKittiFrame(KITTI, name, { ...options, labels: "acdc30" }),
  ]);
  const labelIds = (await readKittiLabelIds(KITTI, name)).data;
  assert.deepEqual(acdc.semantic, labelIdsToAcdc30(labelIds));
  const withTrainId = channelsOf(LABEL_SETS.acdc30, LABEL_SETS.cityscapes19);
  assert.ok(acdc.semantic.some((c) => !withTrainId.includes(c)), "the frame has classes without a trainId");
  assert.deepEqual(acdc.instances, trainIds.instances);
  assert.deepEqual(acdc.crowd, trainIds.crowd);
});

Deno.test(
  "bad input: missing pair, size mismatch, unknown colour, corrupt PNG, 16-bit labels",
  withKitti(async (dir) => {
    unlinkSync(join(dir, "semantic", "000000_10.png"));
    unlinkSync(join(dir, "semantic_rgb", "000000_10.png"));
    await assert.rejects(
      readKittiFrame(dir, "000000_10"),
      /missing pair: .*image_2\/000000_10\.png has no label .*semantic_rgb\/000000_10\.png/,
    );
    const bigger = { data: new Uint8Array(9 * 6 * 3), width: 9, height: 6, channels: 3 as const };
    await writePng(join(dir, "semantic_rgb", "000001_10.png"), bigger);
    await assert.rejects(
      readKittiFrame(dir, "000001_10", { semantic: "semantic_rgb" }),
      /semantic_rgb\/000001_10\.png is 9x6 but .*image_2\/000001_10\.png is 8x6/,
    );
    const odd = new Uint8Array(8 * 6 * 3).fill(0);
    odd.set([1, 2, 3, 1, 2, 3, 1, 2, 3]);
    await writePng(join(dir, "semantic_rgb", "000002_10.png"), { data: odd, width: 8, height: 6, channels: 3 });
    await assert.rejects(
      readKittiFrame(dir, "000002_10", { semantic: "semantic_rgb" }),
      /semantic_rgb\/000002_10\.png: 3 pixels have 1 colour\(s\) not in the Cityscapes colour table: \(1,2,3\) × 3 px/,
    );
    writeFileSync(join(dir, "semantic", "000002_10.png"), new Uint8Array(30).fill(7));
    await assert.rejects(readKittiFrame(dir, "000002_10"), /semantic\/000002_10\.png: corrupt or truncated image/);
    await writePng(join(dir, "semantic", "000001_10.png"), { data: new Uint16Array(48).fill(7), width: 8, height: 6 });
    await assert.rejects(
      readKittiFrame(dir, "000001_10"),
      /semantic\/000001_10\.png: is a 16-bit image; expected an 8-bit/,
    );
    const problems = await checkKittiFolder(dir, { expectedFrames: 4 });
    const expect = [
      /image_2: holds 3 PNGs, expected 4/,
      /missing pair: .*image_2\/000000_10\.png has no .*semantic_rgb\/000000_10\.png/,
      /semantic_rgb\/000001_10\.png is 9x6 but .*image_2\/000001_10\.png is 8x6/,
      /semantic\/000002_10\.png: corrupt or truncated image/,
    ];
    for (const re of expect) assert.ok(problems.some((p) => re.test(p)), `${re} in ${problems.join("\n")}`);
  }),
);

Deno.test(
  "checkKittiFolder reports split problems",
  withKitti(async (dir) => {
    writeFileSync(join(dir, "splits", "acdc_val.txt"), "000000_10.png\n000009_10.png\n");
    const problems = await checkKittiFolder(dir, { expectedFrames: 3 });
    assert.equal(problems.length, 3, problems.join("\n"));
    assert.match(problems[0], /acdc_val\.txt: 000000_10 is also listed in acdc_train\.txt/);
    assert.match(problems[1], /acdc_val\.txt: lists 000009_10, which is not in .*image_2/);
    assert.match(problems[2], /splits: 1 frames are in no split \(000001_10…\)/);
    unlinkSync(join(dir, "splits", "acdc_val.txt"));
    assert.match(
      (await checkKittiFolder(dir, { expectedFrames: 3 })).join("\n"),
      /acdc_val\.txt: split file not found/,
    );
    assert.deepEqual(await checkKittiFolder(join(dir, "nope")), [`${join(dir, "nope")}: folder not found`]);
  }),
);
