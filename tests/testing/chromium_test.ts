// Tests: inkShares (the blank-screenshot check of the end-to-end browser tests).
import assert from "node:assert/strict";
import sharp from "sharp";
import { inkShares } from "./chromium.ts";

Deno.test("inkShares tells a blank page from one with dark text", async () => {
  const page = (background: string) => sharp({ create: { width: 40, height: 10, channels: 3, background } });
  const blank = await page("#ffffff").png().toBuffer();
  assert.deepEqual(await inkShares(blank), { nonWhite: 0, dark: 0 });
  const text = await page("#ffffff")
    .composite([{ input: await page("#202020").resize(20, 10).png().toBuffer(), left: 0, top: 0 }])
    .png().toBuffer();
  assert.deepEqual(await inkShares(text), { nonWhite: 0.5, dark: 0.5 });
});
