import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listIkaFrames, readIkaFrame, writeIkaFrame } from "./ika.ts";
import { labelIdsToIka12 } from "../labels/ika_labels.ts";
import { ensureIkaStandIn, resolveIkaDataset } from "./ika_standin.ts";
import { tinyLabelIds, writeTinyKitti } from "./testing/tiny_kitti.ts";

function withDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), "ika_standin_test-"));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const blank = { data: new Uint8Array(12), width: 2, height: 2, channels: 3 as const };

const mtimes = (dir: string) =>
  ["input", "label"].flatMap((sub) =>
    readdirSync(join(dir, sub)).map((f) => [f, statSync(join(dir, sub, f)).mtimeMs] as const)
  );

Deno.test(
  "stand-in frames read back as the ika-12 ids of the KITTI labels; a second call writes nothing",
  withDir(async (dir) => {
    const kitti = join(dir, "kitti");
    const names = await writeTinyKitti(kitti, "val", 2);
    const out = join(dir, "standin", "val");
    const ds = await ensureIkaStandIn(kitti, "val", out);
    assert.deepEqual(ds, { dir: out, frames: 2, standIn: true });
    const frames = listIkaFrames(out);
    assert.deepEqual(frames.map((f) => f.name), names);
    for (const [k, paths] of frames.entries()) {
      const frame = await readIkaFrame(paths);
      assert.deepEqual(frame.ika12, labelIdsToIka12(tinyLabelIds(k)));
      assert.ok(new Set(frame.ika12).size === 12, "every ika-12 class appears");
    }
    assert.deepEqual(readdirSync(join(dir, "standin")), ["val"], "no temporary folder left");
    const before = mtimes(out);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(await ensureIkaStandIn(kitti, "val", out), ds);
    assert.deepEqual(mtimes(out), before);
  }),
);

Deno.test(
  "a stand-in folder that does not match its split is an error naming it; a failed build leaves nothing",
  withDir(async (dir) => {
    const kitti = join(dir, "kitti");
    await writeTinyKitti(kitti, "val", 2);
    const out = join(dir, "standin");
    await writeIkaFrame(
      out,
      "000000_10",
      blank,
      new Uint8Array(4),
    );
    await assert.rejects(ensureIkaStandIn(kitti, "val", out), /standin: holds 1 frames but split val has 2/);
    rmSync(join(kitti, "semantic", "000001_10.png"));
    const out2 = join(dir, "other");
    await assert.rejects(ensureIkaStandIn(kitti, "val", out2), /000001_10\.png/);
    assert.deepEqual(readdirSync(dir).sort(), ["kitti", "standin"]);
  }),
);

Deno.test(
  "resolveIkaDataset prefers data/ika-dataset and otherwise builds the stand-in from data/kitti acdc_val",
  withDir(async (root) => {
    await writeTinyKitti(join(root, "data", "kitti"), "acdc_val", 1);
    const standIn = await resolveIkaDataset(root);
    assert.deepEqual(standIn, { dir: join(root, "data", "ika-standin", "acdc_val"), frames: 1, standIn: true });
    const real = join(root, "data", "ika-dataset");
    mkdirSync(real);
    await writeIkaFrame(
      real,
      "2_frame_000001",
      blank,
      new Uint8Array(4),
    );
    await writeIkaFrame(
      real,
      "2_frame_000002",
      blank,
      new Uint8Array(4),
    );
    assert.deepEqual(await resolveIkaDataset(root), { dir: real, frames: 2, standIn: false });
  }),
);
