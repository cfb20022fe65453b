import assert from "node:assert/strict";
import sharp from "sharp";
import { imageGrid, offsetArrows } from "./grid.ts";

Deno.test("imageGrid lays out tiles with captions into a PNG of the expected size, arrows draw", async () => {
  const img = { data: new Uint8Array(20 * 10 * 3).fill(128), width: 20, height: 10 };
  const offsets = new Float32Array(20 * 10 * 2).fill(3);
  const png = await imageGrid([
    { image: img, caption: "a" },
    { image: { data: new Uint8Array(200), width: 20, height: 10 }, caption: "gray" },
    { image: img, draw: offsetArrows(offsets, new Float32Array(200).fill(1), 20, 10, { step: 4 }) },
  ], { columns: 2, tileWidth: 40, gap: 2, fontSize: 10 });
  const meta = await sharp(png).metadata();
  assert.equal(meta.width, 2 * 42 + 2);
  assert.equal(meta.height, 2 * (20 + 18 + 2) + 2);
});
