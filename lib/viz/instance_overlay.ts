// Instance labels drawn over their frame for visual review: one colour per instance with dark outlines, crowd
// regions hatched in magenta; and a captioned grid of KITTI frames with their (pseudo) instance labels.
import { readKittiFrame } from "../data/datasets/kitti.ts";
import type { Sample } from "../data/datasets/sample.ts";
import { imageGrid, type RgbImage } from "./grid.ts";
import { blend, instanceColours } from "./palette.ts";

const CROWD_HATCH: readonly number[] = [255, 0, 255];

/** The sample's image with its instances blended in (opacity `alpha`), outlined, and its crowd pixels hatched. */
export function instanceOverlay(sample: Sample, alpha = 0.55): RgbImage {
  const { width, height } = sample;
  if (!sample.instances) throw new Error(`instanceOverlay: frame ${sample.name} has no instance labels`);
  const ids = sample.instances;
  const out = blend(sample.image, instanceColours(ids), alpha, ids);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const edge = ids[p] > 0 &&
        ((x + 1 < width && ids[p + 1] !== ids[p]) || (y + 1 < height && ids[p + width] !== ids[p]));
      const hatch = sample.crowd?.[p] === 1 && (x + y) % 6 < 2;
      if (edge) out.fill(0, p * 3, p * 3 + 3);
      else if (hatch) out.set(CROWD_HATCH, p * 3);
    }
  }
  return { data: out, width, height };
}

/** `n` names spread evenly over `names` (first and last included), in order. */
export function evenlySpaced<T>(names: readonly T[], n: number): T[] {
  if (n >= names.length) return [...names];
  if (n === 1) return [names[0]];
  return Array.from({ length: n }, (_, i) => names[Math.round((i * (names.length - 1)) / (n - 1))]);
}

/**
 * PNG grid of KITTI `frames` of `kittiDir` overlaid with the Cityscapes-format instance maps of `instanceDir`
 * (e.g. data/kitti-instances), captioned with the instance count and the crowd share of thing pixels.
 */
export async function kittiInstanceGrid(
  kittiDir: string,
  instanceDir: string,
  frames: readonly string[],
  options: { columns?: number; tileWidth?: number } = {},
): Promise<Uint8Array> {
  const tiles = [];
  for (const name of frames) {
    const sample = await readKittiFrame(kittiDir, name, { instanceDir });
    const instances = new Set(sample.instances).size - (sample.instances!.includes(0) ? 1 : 0);
    let thing = 0, crowd = 0;
    for (let p = 0; p < sample.semantic.length; p++) {
      if (sample.instances![p] > 0) thing++;
      if (sample.crowd![p]) crowd++;
    }
    const share = thing + crowd ? (100 * crowd) / (thing + crowd) : 0;
    tiles.push({
      image: instanceOverlay(sample),
      caption: `${name}: ${instances} instances, crowd ${share.toFixed(1)} % of thing pixels`,
    });
  }
  return await imageGrid(tiles, { columns: options.columns ?? 3, tileWidth: options.tileWidth ?? 620 });
}
