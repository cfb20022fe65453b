import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import {
  assertSameSize,
  encodePng,
  type Image8,
  readGray,
  readGray16,
  readImageSize,
  readRgb,
  resizeBilinear,
  resizeNearest,
  writePng,
} from "./image_io.ts";
import { sharedData } from "../testing/shared_data.ts";

function withTempDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), "image_io_test-"));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const rgb: Image8 = {
  data: Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => (i * 37) % 256),
  width: 4,
  height: 3,
  channels: 3,
};

Deno.test(
  "RGB, 8-bit gray and 16-bit gray PNGs round trip exactly",
  withTempDir(async (dir) => {
    await writePng(join(dir, "rgb.png"), rgb);
    assert.deepEqual(await readRgb(join(dir, "rgb.png")), rgb);
    const gray: Image8 = { data: Uint8Array.from([0, 7, 26, 33, 255, 128]), width: 3, height: 2, channels: 1 };
    await writePng(join(dir, "gray.png"), gray);
    assert.deepEqual(await readGray(join(dir, "gray.png")), gray);
    const g16 = { data: Uint16Array.from([0, 255, 256, 26 * 256 + 3, 26003, 65535]), width: 2, height: 3 };
    await writePng(join(dir, "g16.png"), g16);
    assert.deepEqual(await readGray16(join(dir, "g16.png")), g16);
    // an 8-bit gray map read as 16-bit keeps its values
    assert.deepEqual([...(await readGray16(join(dir, "gray.png"))).data], [0, 7, 26, 33, 255, 128]);
    // a gray map read as RGB repeats the value in the three channels
    assert.deepEqual([...(await readRgb(join(dir, "gray.png"))).data.subarray(0, 6)], [0, 0, 0, 7, 7, 7]);
    assert.deepEqual(await readImageSize(join(dir, "g16.png")), { width: 2, height: 3 });
    assert.deepEqual(readdirSync(dir).sort(), ["g16.png", "gray.png", "rgb.png"]); // no temp files left
  }),
);

Deno.test(
  "readGray accepts RGB files with equal channels and rejects colour images",
  withTempDir(async (dir) => {
    const grayAsRgb: Image8 = { data: Uint8Array.from([5, 5, 5, 9, 9, 9]), width: 2, height: 1, channels: 3 };
    await writePng(join(dir, "eq.png"), grayAsRgb);
    assert.deepEqual([...(await readGray(join(dir, "eq.png"))).data], [5, 9]);
    await writePng(join(dir, "colour.png"), rgb);
    await assert.rejects(readGray(join(dir, "colour.png")), /colour\.png: is a colour image .*single-channel/);
  }),
);

Deno.test(
  "JPEG decodes to RGB",
  withTempDir(async (dir) => {
    const path = join(dir, "a.jpg");
    const jpg = await sharp(new Uint8Array(16 * 8 * 3).fill(120), { raw: { width: 16, height: 8, channels: 3 } })
      .jpeg().toBuffer();
    writeFileSync(path, jpg);
    const img = await readRgb(path);
    assert.equal(img.width, 16);
    assert.equal(img.height, 8);
    assert.ok(Math.abs(img.data[0] - 120) <= 2);
  }),
);

Deno.test(
  "bad files: missing, truncated, garbage, 16-bit where 8-bit expected, palette",
  withTempDir(async (dir) => {
    await assert.rejects(readRgb(join(dir, "nope.png")), new RegExp(`${dir}/nope\\.png: file not found`));
    const png = await encodePng({
      data: new Uint8Array(64 * 64 * 3).map((_, i) => i * 7),
      width: 64,
      height: 64,
      channels: 3,
    });
    writeFileSync(join(dir, "cut.png"), png.subarray(0, png.length >> 1));
    await assert.rejects(readRgb(join(dir, "cut.png")), /cut\.png: corrupt or truncated image/);
    await assert.rejects(readGray(join(dir, "cut.png")), /cut\.png: corrupt or truncated image/);
    writeFileSync(join(dir, "junk.png"), new Uint8Array([1, 2, 3, 4, 5]));
    await assert.rejects(readRgb(join(dir, "junk.png")), /junk\.png: corrupt or truncated image/);
    await writePng(join(dir, "deep.png"), { data: Uint16Array.from([1, 1000]), width: 2, height: 1 });
    await assert.rejects(
      readGray(join(dir, "deep.png")),
      /deep\.png: is a 16-bit image; expected an 8-bit single-channel/,
    );
    await assert.rejects(readRgb(join(dir, "deep.png"), { require8Bit: true }), /deep\.png: is a 16-bit image/);
    const pal = await sharp(new Uint8Array(12).fill(3), { raw: { width: 2, height: 2, channels: 3 } })
      .png({ palette: true }).toBuffer();
    writeFileSync(join(dir, "pal.png"), pal);
    await assert.rejects(readGray(join(dir, "pal.png")), /pal\.png: is a palette/);
    await assert.rejects(readGray16(join(dir, "pal.png")), /pal\.png: has .*expected a single-channel 16-bit map/);
  }),
);

Deno.test("assertSameSize names both files", () => {
  assert.throws(
    () => assertSameSize({ width: 1242, height: 375 }, "image_2/a.png", { width: 1241, height: 376 }, "semantic/a.png"),
    /^Error: semantic\/a\.png is 1241x376 but image_2\/a\.png is 1242x375$/,
  );
  assertSameSize({ width: 2, height: 2 }, "a", { width: 2, height: 2 }, "b");
});

Deno.test("resizeNearest copies centre pixels, keeps the array type and adds no new values", () => {
  const src = Int32Array.from([1, 2, 3, 4]);
  const up = resizeNearest(src, { width: 2, height: 2 }, 1, 4, 4);
  assert.ok(up instanceof Int32Array);
  assert.deepEqual([...up], [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  const big = Uint8Array.from({ length: 16 }, (_, i) => i);
  assert.deepEqual([...resizeNearest(big, { width: 4, height: 4 }, 1, 2, 2)], [5, 7, 13, 15]);
  const rgbPix = Uint8Array.from([1, 2, 3, 4, 5, 6]);
  assert.deepEqual([...resizeNearest(rgbPix, { width: 2, height: 1 }, 3, 4, 1)], [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6]);
});

Deno.test("resizeBilinear: right size, constant stays constant, ramps stay between their ends", async () => {
  const flat = await resizeBilinear(
    { data: new Uint8Array(8 * 6 * 3).fill(77), width: 8, height: 6, channels: 3 },
    5,
    3,
  );
  assert.equal(flat.data.length, 5 * 3 * 3);
  assert.ok(flat.data.every((v) => v === 77));
  const ramp = await resizeBilinear(
    { data: Uint8Array.from([0, 100, 200, 250]), width: 4, height: 1, channels: 1 },
    8,
    1,
  );
  assert.equal(ramp.channels, 1);
  for (let i = 1; i < 8; i++) assert.ok(ramp.data[i] >= ramp.data[i - 1], `monotonic at ${i}`);
  assert.ok(ramp.data.some((v) => v !== 0 && v !== 100 && v !== 200 && v !== 250), "interpolated values appear");
});

Deno.test("readGray reads deeplab2's RGBA / gray+alpha instance maps as their gray values", async () => {
  const dir = sharedData("fixtures", "pq-vectors-deeplab2");
  const values = async (f: string) => [...new Set((await readGray(join(dir, f))).data)].sort((a, b) => a - b);
  assert.deepEqual(await values("team_gt_instance.png"), [0, 47, 97, 133, 150, 174, 198, 215, 244, 255]);
  assert.deepEqual(await values("bird_gt.png"), [92, 176, 255]);
});
