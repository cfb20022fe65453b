// Seeded random segmentation batches (images and trainId labels with some ignored pixels) for tests and benchmarks.
import { createRng } from "../../data/pipeline/random.ts";
import { IGNORE_LABEL } from "../cross_entropy.ts";
import type { ArrayBatch } from "../train_task.ts";

/** Images in [-1, 1] and labels in 0..classes-1 with about 10 % ignored pixels. */
export function randomSegmentationBatch(
  seed: number,
  [batch, height, width]: [number, number, number],
  classes: number,
): ArrayBatch {
  const rng = createRng(seed);
  const images = Float32Array.from({ length: batch * height * width * 3 }, () => rng.uniform(-1, 1));
  const labels = Uint8Array.from(
    { length: batch * height * width },
    () => rng.next() < 0.1 ? IGNORE_LABEL : rng.int(classes),
  );
  return {
    images: { data: images, shape: [batch, height, width, 3] },
    targets: { semantic: { data: labels, shape: [batch, height, width] } },
  };
}
