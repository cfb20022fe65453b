import assert from "node:assert/strict";
import { decodeColors, encodeColors, lookupTable, remapIds, rgbKey } from "./label_maps.ts";

Deno.test("lookupTable + remapIds map listed values and fill the rest", () => {
  const lut = lookupTable([[1, 10], [2, 20]], 255);
  assert.deepEqual([...remapIds(Uint8Array.from([0, 1, 2, 3]), lut)], [255, 10, 20, 255]);
  assert.throws(() => remapIds(new Uint8Array(2), new Uint8Array(19)), /19 entries, expected 256/);
});

Deno.test("encodeColors uses the fallback beyond the palette; decodeColors inverts it", () => {
  const rgb = encodeColors(Uint8Array.from([0, 1, 7]), [[1, 2, 3], [4, 5, 6]], [9, 9, 9]);
  assert.deepEqual([...rgb], [1, 2, 3, 4, 5, 6, 9, 9, 9]);
  const table = new Map([[rgbKey(1, 2, 3), 0], [rgbKey(4, 5, 6), 1], [rgbKey(9, 9, 9), 7]]);
  assert.deepEqual([...decodeColors(rgb, table, "f.png", "test")], [0, 1, 7]);
});
