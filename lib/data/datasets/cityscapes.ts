// Reader for the Cityscapes layout: leftImg8bit/<split>/<city>/*_leftImg8bit.png with
// gtFine/<split>/<city>/*_gtFine_labelIds.png and, when present, *_gtFine_instanceIds.png.

import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { findFiles } from "../../io/find_files.ts";
import { assertKnownLabelIds, labelIdsToTrainIds } from "../labels/cityscapes_labels.ts";
import { assertSameSize, readGray, readGray16, readImageSize, readRgb } from "../../io/image_io.ts";
import { decodeCityscapesInstanceIds, splitInstances } from "./instance_split.ts";
import type { Sample } from "./sample.ts";

export interface CityscapesFrame {
  /** e.g. "aachen_000000_000019". */
  name: string;
  image: string;
  labelIds: string;
  /** null when the frame has no instance map. */
  instanceIds: string | null;
}

const IMAGE_SUFFIX = "_leftImg8bit.png";

/**
 * Lists the frames of one split (e.g. "train", "val") under a Cityscapes root. Throws naming the image when
 * its labelIds file is missing.
 */
export function listCityscapesFrames(root: string, split: string): CityscapesFrame[] {
  const imageDir = join(root, "leftImg8bit", split);
  if (!existsSync(imageDir)) throw new Error(`${imageDir}: folder not found (not a Cityscapes root or split)`);
  return findFiles(imageDir, IMAGE_SUFFIX).map((image) => {
    const rel = relative(imageDir, image).slice(0, -IMAGE_SUFFIX.length);
    const base = join(root, "gtFine", split, rel);
    const labelIds = `${base}_gtFine_labelIds.png`;
    if (!existsSync(labelIds)) throw new Error(`missing pair: ${image} has no label ${labelIds}`);
    const instanceIds = `${base}_gtFine_instanceIds.png`;
    return {
      name: rel.split("/").pop()!,
      image,
      labelIds,
      instanceIds: existsSync(instanceIds) ? instanceIds : null,
    };
  });
}

/** A frame's labels without its image (as evaluation reads ground truth). */
export interface CityscapesLabels {
  width: number;
  height: number;
  /** The labelIds as stored. */
  labelIds: Uint8Array;
  semantic: Uint8Array;
  /** null without an instance map. */
  instances: Int32Array | null;
  crowd: Uint8Array | null;
  /** The raw instanceIds values (labelId*1000 + k, or a plain labelId), or null. */
  instanceIds: Uint16Array | null;
}

/**
 * Reads a labelIds map and, when given, its instanceIds map: semantic trainIds; instances and crowd from the
 * instanceIds (labelId*1000+k per instance; a plain labelId < 1000 on a thing class is a crowd group).
 */
export async function readCityscapesLabels(
  labelIdsPath: string,
  instanceIdsPath: string | null,
): Promise<CityscapesLabels> {
  const ids = await readGray(labelIdsPath);
  assertKnownLabelIds(ids.data, labelIdsPath);
  const semantic = labelIdsToTrainIds(ids.data);
  const labels: CityscapesLabels = {
    width: ids.width,
    height: ids.height,
    labelIds: ids.data,
    semantic,
    instances: null,
    crowd: null,
    instanceIds: null,
  };
  if (instanceIdsPath) {
    const raw = await readGray16(instanceIdsPath);
    assertSameSize(ids, labelIdsPath, raw, instanceIdsPath);
    const decoded = decodeCityscapesInstanceIds(raw.data);
    let differ = 0;
    for (let i = 0; i < decoded.labelIds.length; i++) if (decoded.labelIds[i] !== ids.data[i]) differ++;
    if (differ) throw new Error(`${instanceIdsPath}: classes disagree with ${labelIdsPath} at ${differ} pixels`);
    const { instances, crowd } = splitInstances(semantic, decoded.keys);
    labels.instances = instances;
    labels.crowd = crowd;
    labels.instanceIds = raw.data;
  }
  return labels;
}

/** Reads a frame: its image and labels (readCityscapesLabels), which must have the image's size. */
export async function readCityscapesFrame(frame: CityscapesFrame): Promise<Sample> {
  const image = await readRgb(frame.image);
  assertSameSize(image, frame.image, await readImageSize(frame.labelIds), frame.labelIds);
  const labels = await readCityscapesLabels(frame.labelIds, frame.instanceIds);
  return {
    name: frame.name,
    width: image.width,
    height: image.height,
    image: image.data,
    semantic: labels.semantic,
    instances: labels.instances,
    crowd: labels.crowd,
  };
}
