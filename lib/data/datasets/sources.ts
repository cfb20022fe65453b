// Serialisable descriptions of where frames come from, and opening them into a name list + reader; workers receive
// the description and open the source themselves.

import type { Sample } from "./sample.ts";
import type { LabelSetName } from "../labels/descriptor.ts";
import { randomScene } from "./synthetic.ts";
import { deriveSeed } from "../pipeline/random.ts";
import {
  kittiInstanceSource,
  type KittiReadOptions,
  listKittiFrames,
  readKittiFrame,
  readKittiSplit,
} from "./kitti.ts";
import { listCityscapesFrames, readCityscapesFrame } from "./cityscapes.ts";
import { listPanopticFrames, readPanopticFrame } from "./coco_panoptic.ts";

/** A dataset location that can be posted to a worker. */
export type DatasetSource =
  | { kind: "synthetic"; count: number; height: number; width: number; seed: number }
  /** KITTI semantics 2015 folder; `split` names a file in splits/ (default: every frame in image_2/). */
  | { kind: "kitti"; root: string; split?: string; options?: KittiReadOptions }
  /** Cityscapes root with leftImg8bit/<split>/ and gtFine/<split>/ (labelIds, instanceIds). */
  | { kind: "cityscapes"; root: string; split: string }
  /** COCO/Cityscapes panoptic JSON + PNGs; images searched under imageRoot (see listPanopticFrames). */
  | { kind: "panoptic"; json: string; imageRoot: string; pngDir?: string; categoryIds: "trainId" | "labelId" };

/**
 * A KITTI split with its instance labels: the folder's own instance/ maps, else the Cityscapes-format ones of
 * `instanceDir` when given (null: semantic only, unless the folder has instance/); semantics in `labels`' classes.
 */
export function kittiSplitSource(
  root: string,
  split: string,
  instanceDir: string | null,
  labels: LabelSetName = "cityscapes19",
): DatasetSource {
  return { kind: "kitti", root, split, options: { ...(instanceDir ? { instanceDir } : {}), labels } };
}

/** How records name the instance labels of Cityscapes gtFine and of a panoptic JSON (KITTI: kittiInstanceSource). */
export const CITYSCAPES_INSTANCE_SOURCE = "cityscapes gtFine instanceIds";
export const panopticInstanceSource = (json: string) => `panoptic segments (${json})`;

/** An opened dataset: its frame names, a reader by name, and where its instance labels come from. */
export interface FrameSource {
  names: string[];
  read(name: string): Promise<Sample>;
  /** For records, e.g. "kitti instance maps" or "pseudo labels (data/kitti-instances)"; null = none. */
  instanceSource: string | null;
}

function syntheticSource(s: Extract<DatasetSource, { kind: "synthetic" }>): FrameSource {
  const names = Array.from({ length: s.count }, (_, i) => `synthetic_${String(i).padStart(4, "0")}`);
  const index = new Map(names.map((n, i) => [n, i]));
  return {
    names,
    instanceSource: "synthetic scenes",
    read: (name) => {
      const i = index.get(name);
      if (i === undefined) return Promise.reject(new Error(`synthetic source: no frame named ${name}`));
      return Promise.resolve(randomScene(name, s.height, s.width, deriveSeed(s.seed, i)));
    },
  };
}

function lookup<T>(frames: Map<string, T>, name: string, where: string): T {
  const frame = frames.get(name);
  if (!frame) throw new Error(`${where}: no frame named ${name}`);
  return frame;
}

/** Opens a dataset source. */
export function openSource(source: DatasetSource): Promise<FrameSource> {
  switch (source.kind) {
    case "synthetic":
      return Promise.resolve(syntheticSource(source));
    case "kitti": {
      const names = source.split ? readKittiSplit(source.root, source.split) : listKittiFrames(source.root);
      return Promise.resolve({
        names,
        read: (name) => readKittiFrame(source.root, name, source.options),
        instanceSource: kittiInstanceSource(source.root, source.options?.instanceDir)?.description ?? null,
      });
    }
    case "cityscapes": {
      const frames = new Map(listCityscapesFrames(source.root, source.split).map((f) => [f.name, f]));
      return Promise.resolve({
        names: [...frames.keys()],
        read: (name) => readCityscapesFrame(lookup(frames, name, source.root)),
        instanceSource: [...frames.values()].some((f) => f.instanceIds) ? CITYSCAPES_INSTANCE_SOURCE : null,
      });
    }
    case "panoptic": {
      const entries = new Map(listPanopticFrames(source.json, source.imageRoot, source.pngDir).map((e) => [e.name, e]));
      const read = async (name: string) => {
        const e = lookup(entries, name, source.json);
        return (await readPanopticFrame(e.image, e.png, e.annotation, source.categoryIds, source.json)).sample;
      };
      return Promise.resolve({
        names: [...entries.keys()],
        read,
        instanceSource: panopticInstanceSource(source.json),
      });
    }
  }
}
