// Summarises a KITTI-layout dataset folder from its files: frame counts per split and image sizes (read from
// the PNG headers, no decoding), for the report's dataset table.
import sharp from "sharp";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { listKittiFrames, readKittiSplit } from "./kitti.ts";

export interface DatasetSummary {
  images: number;
  labels: number;
  /** Split name → number of frames listed in splits/<name>.txt. */
  splits: Record<string, number>;
  /** "WxH" → number of images of that size, largest count first. */
  sizes: [string, number][];
}

export async function summarizeKittiFolder(dir: string): Promise<DatasetSummary> {
  const frames = listKittiFrames(dir);
  const splitDir = join(dir, "splits");
  const splits: Record<string, number> = {};
  for (const file of existsSync(splitDir) ? readdirSync(splitDir).filter((f) => f.endsWith(".txt")).sort() : []) {
    const split = file.slice(0, -4);
    splits[split] = readKittiSplit(dir, split).length;
  }
  const sizes = new Map<string, number>();
  for (const name of frames) {
    const { width, height } = await sharp(join(dir, "image_2", `${name}.png`)).metadata();
    const key = `${width}x${height}`;
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  const labels = frames.filter((name) => existsSync(join(dir, "semantic_rgb", `${name}.png`)));
  return {
    images: frames.length,
    labels: labels.length,
    splits,
    sizes: [...sizes].sort((a, b) => b[1] - a[1]),
  };
}
