// The committed KITTI pseudo instance labels (data/kitti-instances, made by `deno task pseudo-labels`): one per
// frame, each read by the KITTI reader as Cityscapes instanceIds, and consistent with the quality record.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { listKittiFrames, verifyKittiFrames } from "../lib/data/datasets/kitti.ts";
import { readPseudoLabelQuality } from "../lib/pseudo_labels/readme.ts";
import { evenlySpaced, kittiInstanceGrid } from "../lib/viz/instance_overlay.ts";
import { PROJECT_ROOT } from "../lib/io/project.ts";
import { SHARED_KITTI } from "../lib/testing/shared_data.ts";

const KITTI = SHARED_KITTI;
const INSTANCES = join(PROJECT_ROOT, "data/kitti-instances");

Deno.test("every KITTI frame has a pseudo instance map that the KITTI reader reads, matching quality.json", async () => {
  const frames = listKittiFrames(KITTI);
  assert.equal(frames.length, 200);
  for (const name of frames) assert.ok(existsSync(join(INSTANCES, `${name}_instanceIds.png`)), `${name} missing`);
  const result = await verifyKittiFrames(KITTI, { instanceDir: INSTANCES }, frames);
  assert.deepEqual(result.problems, []);
  assert.equal(result.frames, 200);
  const quality = readPseudoLabelQuality(join(INSTANCES, "quality.json"));
  assert.equal(quality.frames, 200);
  const recorded = quality.coverage.reduce((s, c) => s + c.instances, 0);
  assert.equal(result.instances, recorded, "instances read back = instances recorded in quality.json");
  assert.ok(recorded > 200, `only ${recorded} instances in 200 frames`);
});

Deno.test("kittiInstanceGrid draws a captioned PNG grid of frames with their instance maps", async () => {
  const frames = evenlySpaced(listKittiFrames(KITTI), 2);
  const png = await kittiInstanceGrid(KITTI, INSTANCES, frames, { columns: 2, tileWidth: 200 });
  assert.deepEqual([...png.slice(1, 4)], [0x50, 0x4e, 0x47], "PNG signature");
  const width = new DataView(png.buffer, png.byteOffset).getUint32(16);
  assert.equal(width, 2 * 200 + 3 * 6, "two 200-px tiles with 6-px gaps");
});
