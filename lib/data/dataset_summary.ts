// Summarises a KITTI-layout dataset folder from its files: frame counts per split and image sizes (read from
// the PNG headers, no decoding), for the report's dataset table.
import sharp from "sharp";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface DatasetSummary {
  images: number;
  labels: number;
  /** Split name → number of frames listed in splits/<name>.txt. */
  splits: Record<string, number>;
  /** "WxH" → number of images of that size, largest count first. */
  sizes: [string, number][];
}

const pngs = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".png")).sort();

export async function summarizeKittiFolder(dir: string): Promise<DatasetSummary> {
  const images = pngs(join(dir, "image_2"));
  const splits: Record<string, number> = {};
  for (const file of readdirSync(join(dir, "splits")).filter((f) => f.endsWith(".txt")).sort()) {
    const lines = readFileSync(join(dir, "splits", file), "utf8").split("\n").filter((l) => l.trim());
    splits[file.replace(/\.txt$/, "")] = lines.length;
  }
  const sizes = new Map<string, number>();
  for (const name of images) {
    const { width, height } = await sharp(join(dir, "image_2", name)).metadata();
    const key = `${width}x${height}`;
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  return {
    images: images.length,
    labels: pngs(join(dir, "semantic_rgb")).length,
    splits,
    sizes: [...sizes].sort((a, b) => b[1] - a[1]),
  };
}
