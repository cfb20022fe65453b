import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kittiSplitSource, openSource } from "./sources.ts";
import { writePng } from "../../io/image_io.ts";
import { writeTinyInstances, writeTinyKitti } from "./testing/tiny_kitti.ts";
import { SHARED_DATA } from "../../testing/shared_data.ts";

const SHARED = SHARED_DATA;

Deno.test("synthetic source: stable names and frames, unknown name is an error naming it", async () => {
  const src = await openSource({ kind: "synthetic", count: 3, height: 20, width: 30, seed: 2 });
  assert.deepEqual(src.names, ["synthetic_0000", "synthetic_0001", "synthetic_0002"]);
  assert.deepEqual(await src.read("synthetic_0001"), await src.read("synthetic_0001"));
  assert.notDeepEqual((await src.read("synthetic_0001")).semantic, (await src.read("synthetic_0002")).semantic);
  await assert.rejects(src.read("nope"), /nope/);
});

Deno.test("KITTI source: all frames, or a split's frames", async () => {
  const root = join(SHARED, "kitti-semantics-2015");
  assert.equal((await openSource({ kind: "kitti", root })).names.length, 200);
  const val = await openSource({ kind: "kitti", root, split: "acdc_val" });
  assert.equal(val.names.length, 60);
  const s = await val.read(val.names[0]);
  assert.equal(s.name, val.names[0]);
  assert.ok(s.width > 1200 && s.instances === null);
});

Deno.test("KITTI source names its instance labels: the folder's own instance/ maps before the pseudo labels", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sources_test-"));
  try {
    const kitti = join(dir, "kitti"), pseudo = join(dir, "pseudo");
    await writeTinyInstances(kitti, pseudo, await writeTinyKitti(kitti, "val", 1));
    const instanceSource = async (instanceDir: string | null) =>
      (await openSource(kittiSplitSource(kitti, "val", instanceDir))).instanceSource;
    assert.equal(await instanceSource(pseudo), "kitti instance maps");
    assert.equal(await instanceSource(null), "kitti instance maps");
    rmSync(join(kitti, "instance"), { recursive: true });
    assert.equal(await instanceSource(pseudo), `pseudo labels (${pseudo})`);
    assert.equal(await instanceSource(null), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("panoptic source reads the Cityscapes-format fixture frame with its instances", async () => {
  const frame = join(SHARED, "fixtures", "cityscapes-panoptic-frame");
  const src = await openSource({
    kind: "panoptic",
    json: join(frame, "gtFine", "cityscapes_panoptic_dummy_trainId.json"),
    imageRoot: join(frame, "leftImg8bit"),
    categoryIds: "trainId",
  });
  assert.deepEqual(src.names, ["dummy_000000_000000"]);
  const s = await src.read(src.names[0]);
  assert.equal(s.instances!.reduce((m, v) => Math.max(m, v), 0), 5);
  await assert.rejects(src.read("other"), /cityscapes_panoptic_dummy_trainId\.json: no frame named other/);
});

Deno.test("Cityscapes source pairs leftImg8bit with gtFine labelIds and instanceIds", async () => {
  const root = mkdtempSync(join(tmpdir(), "cs-src-"));
  try {
    for (const d of ["leftImg8bit/val/town", "gtFine/val/town"]) mkdirSync(join(root, d), { recursive: true });
    const labelIds = Uint8Array.from({ length: 24 }, (_, i) => (i % 6 < 3 ? 7 : 26)); // road | car
    const instanceIds = Uint16Array.from(labelIds, (v) => (v === 26 ? 26000 : v));
    await writePng(join(root, "leftImg8bit/val/town/town_000000_000001_leftImg8bit.png"), {
      data: new Uint8Array(72).fill(90),
      width: 6,
      height: 4,
      channels: 3,
    });
    const base = join(root, "gtFine/val/town/town_000000_000001_gtFine");
    await writePng(`${base}_labelIds.png`, { data: labelIds, width: 6, height: 4, channels: 1 });
    await writePng(`${base}_instanceIds.png`, { data: instanceIds, width: 6, height: 4 });
    const src = await openSource({ kind: "cityscapes", root, split: "val" });
    assert.deepEqual(src.names, ["town_000000_000001"]);
    const s = await src.read("town_000000_000001");
    assert.deepEqual([...s.semantic.subarray(0, 6)], [0, 0, 0, 13, 13, 13]);
    assert.deepEqual([...s.instances!.subarray(0, 6)], [0, 0, 0, 1, 1, 1]);
  } finally {
    rmSync(root, { recursive: true });
  }
});
