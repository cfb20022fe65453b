// Colour maps for label and target maps (RGB uint8, H*W*3): instance ids, heatmaps, and blending over an image.
// Semantic trainIds are coloured with the Cityscapes table (trainIdsToColors in data/cityscapes_labels.ts); instance
// colours are kept apart from that table, so an instance never looks like a class region.
import { type Rgb, TRAIN_COLORS } from "../data/labels/cityscapes_labels.ts";

/** A colour in CIE L*a*b*. */
type Lab = readonly [number, number, number];

/** CIE L*a*b* (D65) of an sRGB colour. */
export function rgbToLab([r, g, b]: Rgb): Lab {
  const linear = (c: number) => (c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  const [lr, lg, lb] = [linear(r), linear(g), linear(b)];
  const f = (t: number) => t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116;
  const fx = f((0.4124 * lr + 0.3576 * lg + 0.1805 * lb) / 0.95047);
  const fy = f(0.2126 * lr + 0.7152 * lg + 0.0722 * lb);
  const fz = f((0.0193 * lr + 0.1192 * lg + 0.9505 * lb) / 1.08883);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

const labDistance = (a: Lab, b: Lab) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** Perceptual distance of two colours: CIE76 ΔE (Euclidean in L*a*b*; about 2.3 is just noticeable). */
export function colourDistance(a: Rgb, b: Rgb): number {
  return labDistance(rgbToLab(a), rgbToLab(b));
}

/** Every instance colour is at least this far (ΔE) from every Cityscapes class colour. */
export const MIN_CLASS_DISTANCE = 30;

/**
 * 24 instance colours, from bright HSV candidates at least MIN_CLASS_DISTANCE from every Cityscapes class colour:
 * each pick is the candidate farthest from the class colours and the picks before it, so consecutive entries
 * differ strongly.
 */
export const INSTANCE_PALETTE: readonly Rgb[] = (() => {
  const taken = TRAIN_COLORS.map(rgbToLab);
  const candidates: { rgb: Rgb; lab: Lab; nearest: number }[] = [];
  for (let h = 0; h < 36; h++) {
    for (const s of [0.35, 0.65, 0.95]) {
      for (const v of [0.7, 0.85, 1]) {
        const rgb = hsvToRgb(h / 36, s, v), lab = rgbToLab(rgb);
        const nearest = Math.min(...taken.map((t) => labDistance(t, lab)));
        if (nearest >= MIN_CLASS_DISTANCE) candidates.push({ rgb, lab, nearest });
      }
    }
  }
  const palette: Rgb[] = [];
  while (palette.length < 24) {
    const pick = candidates.reduce((best, c) => (c.nearest > best.nearest ? c : best));
    palette.push(pick.rgb);
    for (const c of candidates) c.nearest = Math.min(c.nearest, labDistance(c.lab, pick.lab));
  }
  return palette;
})();

/** A stable colour per instance id from INSTANCE_PALETTE (0 = black): ids k and k + 1 get very different ones. */
export function instanceColours(ids: Int32Array | Uint8Array): Uint8Array {
  const out = new Uint8Array(ids.length * 3);
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] !== 0) out.set(INSTANCE_PALETTE[ids[i] % INSTANCE_PALETTE.length], i * 3);
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
