// Colour maps for label and target maps (RGB uint8, H*W*3): instance ids, heatmaps, and blending over an image.
// Semantic trainIds are coloured with the Cityscapes table (trainIdsToColors in data/cityscapes_labels.ts).

/** A distinct, stable colour per instance id (0 = black). */
export function instanceColours(ids: Int32Array | Uint8Array): Uint8Array {
  const out = new Uint8Array(ids.length * 3);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id === 0) continue;
    // Golden-angle hue steps give neighbouring ids very different colours.
    const [r, g, b] = hsvToRgb((id * 0.618033988749895) % 1, 0.75, 0.95);
    out[i * 3] = r;
    out[i * 3 + 1] = g;
    out[i * 3 + 2] = b;
  }
  return out;
}

/** HSV (all in [0, 1]) → RGB bytes. */
export function hsvToRgb(h: number, s: number, v: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + h * 6) % 6;
    return Math.round(255 * (v - v * s * Math.max(0, Math.min(k, 4 - k, 1))));
  };
  return [f(5), f(3), f(1)];
}

/** "Inferno"-like anchors: black → purple → red → orange → pale yellow. */
const HEAT_ANCHORS: readonly [number, number, number][] = [
  [0, 0, 4],
  [87, 16, 110],
  [188, 55, 84],
  [249, 142, 9],
  [252, 255, 164],
];

/** Colours values in [0, max] with a perceptually increasing dark-to-bright map (values are clamped). */
export function heatmapColours(values: Float32Array, max = 1): Uint8Array {
  const out = new Uint8Array(values.length * 3);
  const last = HEAT_ANCHORS.length - 1;
  for (let i = 0; i < values.length; i++) {
    const t = Math.min(1, Math.max(0, values[i] / max)) * last;
    const k = Math.min(last - 1, Math.floor(t)), f = t - k;
    for (let c = 0; c < 3; c++) {
      out[i * 3 + c] = Math.round(HEAT_ANCHORS[k][c] * (1 - f) + HEAT_ANCHORS[k + 1][c] * f);
    }
  }
  return out;
}

/** Blends `overlay` over `base` (both RGB, same size) with opacity `alpha`, where `mask` is non-zero (default all). */
export function blend(base: Uint8Array, overlay: Uint8Array, alpha: number, mask?: ArrayLike<number>): Uint8Array {
  if (base.length !== overlay.length) throw new Error(`blend: sizes differ (${base.length} vs ${overlay.length})`);
  const out = base.slice();
  for (let p = 0; p < base.length / 3; p++) {
    if (mask && !mask[p]) continue;
    for (let c = 0; c < 3; c++) out[p * 3 + c] = Math.round(base[p * 3 + c] * (1 - alpha) + overlay[p * 3 + c] * alpha);
  }
  return out;
}
