// Seeded synthetic Panoptic-DeepLab batches for tests and benchmarks: street-like frames (stuff bands, thing
// rectangles, ignored pixels) whose targets come from the real target generator, as the training pipeline batches them.
import type { DatasetDescriptor } from "../../data/labels/descriptor.ts";
import type { Sample } from "../../data/datasets/sample.ts";
import { collate, prepareSample } from "../../data/pipeline/prepare.ts";
import { createRng } from "../../data/pipeline/random.ts";
import { toArrayBatch } from "../panoptic_task.ts";
import type { ArrayBatch } from "../train_task.ts";

/**
 * A synthetic frame of `labels`' classes: random RGB, four horizontal bands of stuff classes, `things` rectangles of
 * thing classes (one instance each, later ones on top) and the bottom sixteenth of the rows ignored.
 */
export function randomPanopticSample(
  seed: number,
  height: number,
  width: number,
  labels: DatasetDescriptor,
  things = 6,
): Sample {
  const rng = createRng(seed);
  const stuff = labels.classes.filter((c) => !c.isThing).map((c) => c.id);
  const n = height * width;
  const image = Uint8Array.from({ length: n * 3 }, () => rng.int(256));
  const semantic = new Uint8Array(n);
  const instances = new Int32Array(n);
  const bands = 4;
  for (let y = 0; y < height; y++) {
    const band = Math.floor((y * bands) / height);
    semantic.fill(stuff[(band * 7 + seed) % stuff.length], y * width, (y + 1) * width);
  }
  for (let id = 1; id <= things && labels.thingIds.length > 0; id++) {
    const h = 1 + rng.int(Math.max(1, height >> 1)), w = 1 + rng.int(Math.max(1, width >> 2));
    const y0 = rng.int(height - h + 1), x0 = rng.int(width - w + 1);
    const cls = labels.thingIds[rng.int(labels.thingIds.length)];
    for (let y = y0; y < y0 + h; y++) {
      semantic.fill(cls, y * width + x0, y * width + x0 + w);
      instances.fill(id, y * width + x0, y * width + x0 + w);
    }
  }
  const firstIgnored = (height - Math.floor(height / 16)) * width;
  semantic.fill(labels.ignoreLabel, firstIgnored);
  instances.fill(0, firstIgnored);
  return { name: `synthetic_${seed}`, width, height, image, semantic, instances, crowd: null };
}

/**
 * A batch as the training pipeline delivers it (lib/data/pipeline/prepare.ts without augmentation, then
 * toArrayBatch): images in [-1, 1], semantic labels and weights, centre heatmap and weights, offsets and weights,
 * from `batch` synthetic frames (seeds seed, seed + 1, ...).
 */
export function randomPanopticBatch(
  seed: number,
  [batch, height, width]: [number, number, number],
  labels: DatasetDescriptor,
): ArrayBatch {
  const samples = Array.from({ length: batch }, (_, i) => randomPanopticSample(seed + i, height, width, labels));
  const config = { augment: null, targets: { thingIds: labels.thingIds } };
  return toArrayBatch(collate(samples.map((s, i) => prepareSample(s, config, seed + i))));
}
