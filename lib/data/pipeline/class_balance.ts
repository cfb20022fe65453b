// Class balance of a training split: how many pixels each class has over its frames, and the class-crop weights
// drawn from those frequencies (frequency^-power: 0 = every present class alike, 0.5 = inverse square root, 1 =
// inverse frequency), which make augmentation place crops around rare classes more often.
import type { FrameSource } from "../datasets/sources.ts";

/** Pixels of each class id 0..numClasses-1 over every frame of `source` (ignored pixels and other ids left out). */
export async function classPixelCounts(source: FrameSource, numClasses: number): Promise<number[]> {
  const counts = new Array(numClasses).fill(0);
  for (const name of source.names) {
    const { semantic } = await source.read(name);
    for (let i = 0; i < semantic.length; i++) if (semantic[i] < numClasses) counts[semantic[i]]++;
  }
  return counts;
}

/** Weight per class: (count / total)^-power for classes with pixels, 0 for classes without. */
export function classCropWeights(counts: readonly number[], power: number): number[] {
  if (!(power >= 0)) throw new Error(`class crop power ${power} must be ≥ 0`);
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((n) => (n > 0 ? (n / total) ** -power : 0));
}
