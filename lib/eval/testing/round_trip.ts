// Test-only: ground truth and predictions equal to it in the official formats, written with the project's
// writers: the shared Cityscapes-format panoptic frame as gtFine labelIds/instanceIds, and KITTI frames; the
// predictions as `*_labelIds.png`, instance `.txt` + masks and COCO-panoptic JSON + PNGs.
import { LABEL_DIVISOR } from "../../data/labels/descriptor.ts";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { IGNORE_ID, trainIdsToLabelIds } from "../../data/labels/cityscapes_labels.ts";
import { readPanopticFrame, readPanopticJson } from "../../data/datasets/coco_panoptic.ts";
import { writePng } from "../../io/image_io.ts";
import { readKittiFrame } from "../../data/datasets/kitti.ts";
import { encodeInstanceIds } from "../../pseudo_labels/assign.ts";
import type { Sample } from "../../data/datasets/sample.ts";
import type { InstancePrediction } from "../../metrics/instance.ts";
import {
  panopticPngDir,
  writeInstanceResults,
  writeLabelIdsPng,
  writePanopticJson,
  writePanopticPng,
} from "../export.ts";
import { sharedData } from "../../testing/shared_data.ts";

export const PROJECT = fileURLToPath(new URL("../../../", import.meta.url));
export const FIXTURE = sharedData("fixtures", "cityscapes-panoptic-frame");
export const FIXTURE_JSON = join(FIXTURE, "gtFine", "cityscapes_panoptic_dummy_trainId.json");
export const FIXTURE_NAME = "dummy_000000_000000";
export const KITTI = join(PROJECT, "data", "kitti");
export const KITTI_INSTANCES = join(PROJECT, "data", "kitti-instances");

/** The fixture frame as a Sample (trainIds, instances, crowd). */
export async function fixtureSample(): Promise<Sample> {
  const json = readPanopticJson(FIXTURE_JSON);
  const image = join(FIXTURE, "leftImg8bit", `${FIXTURE_NAME}_leftImg8bit.png`);
  const png = join(FIXTURE, "gtFine", json.annotations[0].file_name);
  return (await readPanopticFrame(image, png, json.annotations[0], "trainId", FIXTURE_JSON)).sample;
}

/** The sample's instances as predictions (trainIds, score 1). */
export function instancesOf(sample: Sample): InstancePrediction[] {
  const pixels = new Map<number, number[]>();
  sample.instances!.forEach((k, i) => {
    if (k === 0) return;
    const list = pixels.get(k);
    if (list) list.push(i);
    else pixels.set(k, [i]);
  });
  return [...pixels].sort((a, b) => a[0] - b[0]).map(([, p]) => ({
    classId: sample.semantic[p[0]],
    score: 1,
    pixels: Uint32Array.from(p),
  }));
}

/** class*1000 + instance, void = 255000 (post-processing's map) from a Sample. */
export function panopticMapOf(sample: Sample): Int32Array {
  return Int32Array.from(
    sample.semantic,
    (c, i) => c === IGNORE_ID ? IGNORE_ID * LABEL_DIVISOR : c * LABEL_DIVISOR + sample.instances![i],
  );
}

/** Writes `<dir>/gtFine/val/dummy/<name>_gtFine_{labelIds,instanceIds}.png` from the sample. */
export async function writeGtFine(dir: string, sample: Sample): Promise<string> {
  const root = join(dir, "gtFine");
  const base = join(root, "val", "dummy", `${sample.name}_gtFine`);
  const labelIds = trainIdsToLabelIds(sample.semantic);
  await writePng(`${base}_labelIds.png`, { data: labelIds, width: sample.width, height: sample.height, channels: 1 });
  const instanceTrainIds = instancesOf(sample).map((p) => p.classId);
  const instanceIds = encodeInstanceIds(labelIds, { instances: sample.instances!, instanceTrainIds });
  await writePng(`${base}_instanceIds.png`, { data: instanceIds, width: sample.width, height: sample.height });
  return root;
}

/** Semantic (`<dir>/semantic`), instance (`<dir>/instance`) and panoptic (`<dir>/panoptic.json`) predictions. */
export async function writePredictions(dir: string, samples: readonly Sample[]) {
  const paths = {
    semantic: join(dir, "semantic"),
    instance: join(dir, "instance"),
    panoptic: join(dir, "panoptic.json"),
  };
  const annotations = [];
  for (const s of samples) {
    await writeLabelIdsPng(join(paths.semantic, `${s.name}_labelIds.png`), s.semantic, s.width, s.height);
    if (!s.instances) continue;
    await writeInstanceResults(paths.instance, s.name, instancesOf(s), s.width, s.height);
    annotations.push(
      await writePanopticPng(panopticPngDir(paths.panoptic), s.name, panopticMapOf(s), s.width, s.height),
    );
  }
  const images = new Map(samples.map((s) => [s.name, { width: s.width, height: s.height, fileName: `${s.name}.png` }]));
  if (annotations.length) writePanopticJson(paths.panoptic, annotations, images);
  return paths;
}

/** KITTI frames with their pseudo instance labels. */
export async function kittiSamples(names: readonly string[]): Promise<Sample[]> {
  return await Promise.all(names.map((name) => readKittiFrame(KITTI, name, { instanceDir: KITTI_INSTANCES })));
}
