import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import sharp from "sharp";
import { summarizeKittiFolder } from "./dataset_summary.ts";

async function png(path: string, width: number, height: number) {
  const buf = await sharp({ create: { width, height, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png()
    .toBuffer();
  writeFileSync(path, buf);
}

Deno.test("summarizeKittiFolder counts frames, splits and sizes from the files", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kitti-"));
  for (const sub of ["image_2", "semantic_rgb", "splits"]) mkdirSync(join(dir, sub));
  await png(join(dir, "image_2", "000000_10.png"), 8, 4);
  await png(join(dir, "image_2", "000001_10.png"), 8, 4);
  await png(join(dir, "image_2", "000002_10.png"), 6, 5);
  await png(join(dir, "semantic_rgb", "000000_10.png"), 8, 4);
  writeFileSync(join(dir, "splits", "a.txt"), "000000_10.png\n000001_10.png\n");
  writeFileSync(join(dir, "splits", "b.txt"), "000002_10.png\n\n");
  const s = await summarizeKittiFolder(dir);
  assert.deepEqual(s, { images: 3, labels: 1, splits: { a: 2, b: 1 }, sizes: [["8x4", 2], ["6x5", 1]] });
});
