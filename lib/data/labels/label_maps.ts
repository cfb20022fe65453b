// Scheme-independent label-map operations: remap ids through a lookup table, decode a colour-coded label image
// to ids (failing on colours outside the table, with their pixel counts), and paint ids with a palette.

/** An RGB colour, 0..255 per channel. */
export type Rgb = readonly [number, number, number];

/** Packs a colour into one integer key (r << 16 | g << 8 | b). */
export function rgbKey(r: number, g: number, b: number): number {
  return (r << 16) | (g << 8) | b;
}

/** out[i] = lut[ids[i]]; lut must have 256 entries so every uint8 value has an image. */
export function remapIds(ids: Uint8Array, lut: Uint8Array): Uint8Array {
  if (lut.length !== 256) throw new Error(`remapIds: lookup table has ${lut.length} entries, expected 256`);
  const out = new Uint8Array(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = lut[ids[i]];
  return out;
}

/** Builds a 256-entry lookup table from pairs; values not listed map to `fill`. */
export function lookupTable(pairs: Iterable<readonly [number, number]>, fill: number): Uint8Array {
  const lut = new Uint8Array(256).fill(fill);
  for (const [from, to] of pairs) lut[from] = to;
  return lut;
}

/**
 * Decodes an RGB label image (H*W*3) to ids with `table` (colour key → id). Throws naming `file` when some
 * colours are not in the table, listing up to 8 of them (most frequent first) with their pixel counts.
 */
export function decodeColors(
  rgb: Uint8Array,
  table: ReadonlyMap<number, number>,
  file: string,
  scheme: string,
): Uint8Array {
  const n = rgb.length / 3;
  const out = new Uint8Array(n);
  let unknown: Map<number, number> | null = null;
  let lastKey = -1;
  let lastId = 0;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const key = rgbKey(rgb[j], rgb[j + 1], rgb[j + 2]);
    if (key !== lastKey) {
      const id = table.get(key);
      if (id === undefined) {
        unknown ??= new Map();
        unknown.set(key, (unknown.get(key) ?? 0) + 1);
        continue;
      }
      lastKey = key;
      lastId = id;
    }
    out[i] = lastId;
  }
  if (unknown) {
    const list = [...unknown].sort((a, b) => b[1] - a[1]);
    const total = list.reduce((s, [, c]) => s + c, 0);
    const shown = list.slice(0, 8).map(([k, c]) => `(${k >> 16},${(k >> 8) & 255},${k & 255}) × ${c} px`);
    throw new Error(
      `${file}: ${total} pixels have ${list.length} colour(s) not in the ${scheme} table: ${shown.join(", ")}` +
        (list.length > 8 ? ", …" : ""),
    );
  }
  return out;
}

/** Paints ids with `palette[id]` as RGB H*W*3; ids without a palette entry get `fallback` (default black). */
export function encodeColors(ids: Uint8Array, palette: readonly Rgb[], fallback: Rgb = [0, 0, 0]): Uint8Array {
  const out = new Uint8Array(ids.length * 3);
  for (let i = 0, j = 0; i < ids.length; i++, j += 3) {
    const c = palette[ids[i]] ?? fallback;
    out[j] = c[0];
    out[j + 1] = c[1];
    out[j + 2] = c[2];
  }
  return out;
}
