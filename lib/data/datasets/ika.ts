// Reader (and writer) for ika's validation-set layout: input/<name>.png camera images with
// label/<name>_gtFine_labelColor.png labels coloured in ika's 12-class scheme (semantic only).

import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { colorsToIka12, ika12ToColors } from "../labels/ika_labels.ts";
import { assertSameSize, type Image8, readRgb, writePng } from "../../io/image_io.ts";

/**
 * An ika frame. Its labels are ika-12 ids (0..11, 11 = none), not Cityscapes trainIds, so it is a type of its
 * own rather than a Sample: compare predictions after converting them with `trainIdsToIka12`.
 */
export interface IkaFrame {
  name: string;
  width: number;
  height: number;
  /** RGB, uint8, H*W*3. */
  image: Uint8Array;
  /** ika-12 class id per pixel. */
  ika12: Uint8Array;
}

export interface IkaFramePaths {
  name: string;
  image: string;
  label: string;
}

const LABEL_SUFFIX = "_gtFine_labelColor.png";

/** Lists the frames of an ika-layout folder, sorted; throws naming the file when an image or label has no pair. */
export function listIkaFrames(dir: string): IkaFramePaths[] {
  const inputDir = join(dir, "input"), labelDir = join(dir, "label");
  for (const d of [inputDir, labelDir]) if (!existsSync(d)) throw new Error(`${d}: folder not found (not ika layout)`);
  const names = readdirSync(inputDir).filter((f) => f.endsWith(".png")).map((f) => f.slice(0, -4)).sort();
  const nameSet = new Set(names);
  for (const f of readdirSync(labelDir).filter((f) => f.endsWith(LABEL_SUFFIX))) {
    const name = f.slice(0, -LABEL_SUFFIX.length);
    if (!nameSet.has(name)) {
      throw new Error(`missing pair: ${join(labelDir, f)} has no image ${join(inputDir, name)}.png`);
    }
  }
  return names.map((name) => {
    const image = join(inputDir, `${name}.png`), label = join(labelDir, `${name}${LABEL_SUFFIX}`);
    if (!existsSync(label)) throw new Error(`missing pair: ${image} has no label ${label}`);
    return { name, image, label };
  });
}

/** Reads one frame; label colours outside ika's 12-colour table are an error naming the file. */
export async function readIkaFrame(paths: IkaFramePaths): Promise<IkaFrame> {
  const image = await readRgb(paths.image);
  const label = await readRgb(paths.label, { require8Bit: true });
  assertSameSize(image, paths.image, label, paths.label);
  return {
    name: paths.name,
    width: image.width,
    height: image.height,
    image: image.data,
    ika12: colorsToIka12(label.data, paths.label),
  };
}

/** Writes a frame in ika's layout (e.g. KITTI recoloured with `labelIdsToIka12`), atomically. */
export async function writeIkaFrame(dir: string, name: string, image: Image8, ika12: Uint8Array): Promise<void> {
  await writePng(join(dir, "input", `${name}.png`), image);
  const label: Image8 = { data: ika12ToColors(ika12), width: image.width, height: image.height, channels: 3 };
  await writePng(join(dir, "label", `${name}${LABEL_SUFFIX}`), label);
}
