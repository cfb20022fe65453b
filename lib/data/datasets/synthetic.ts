// Hand-built scenes (rectangles of known class, instance and crowd flag on a background) for tests, benchmarks and
// notebook demos: every label is known exactly, so targets and augmentations can be checked against answers.

import { IGNORE_LABEL } from "../labels/descriptor.ts";
import type { Sample } from "./sample.ts";
import { createRng } from "../pipeline/random.ts";

/** One axis-aligned rectangle painted over the background; later boxes overwrite earlier ones. */
export interface SceneBox {
  y: number;
  x: number;
  height: number;
  width: number;
  trainId: number;
  /** Marks the box as a crowd region (instance 0, crowd 1). Ignored for non-instance boxes. */
  crowd?: boolean;
  /** Give the box its own instance id (the next free 1..N); false for stuff boxes. Default true. */
  instance?: boolean;
}

/**
 * Paints a scene: semantic = background, then each box. Image colours encode the class (plus seeded noise when a
 * seed is given) so that augmentations are visible. Instances are numbered 1..N in box order.
 */
export function sceneSample(
  name: string,
  height: number,
  width: number,
  boxes: readonly SceneBox[],
  options: { background?: number; seed?: number } = {},
): Sample {
  const semantic = new Uint8Array(height * width).fill(options.background ?? 0);
  const instances = new Int32Array(height * width);
  const crowd = new Uint8Array(height * width);
  let next = 1;
  for (const box of boxes) {
    const isInstance = (box.instance ?? true) && !box.crowd;
    const id = isInstance ? next++ : 0;
    for (let y = Math.max(0, box.y); y < Math.min(height, box.y + box.height); y++) {
      for (let x = Math.max(0, box.x); x < Math.min(width, box.x + box.width); x++) {
        const i = y * width + x;
        semantic[i] = box.trainId;
        instances[i] = id;
        crowd[i] = box.crowd ? 1 : 0;
      }
    }
  }
  const rng = options.seed === undefined ? null : createRng(options.seed);
  const image = new Uint8Array(height * width * 3);
  for (let i = 0; i < height * width; i++) {
    const c = semantic[i] === IGNORE_LABEL ? 0 : semantic[i];
    const noise = rng ? rng.int(32) : 0;
    image[i * 3] = (c * 53 + noise) & 255;
    image[i * 3 + 1] = (c * 97 + 40 + noise) & 255;
    image[i * 3 + 2] = (c * 151 + 80 + noise) & 255;
  }
  return { name, width, height, image, semantic, instances, crowd };
}

/** A small seeded street-like scene: road below, sky above, building, a few cars and persons, maybe a crowd box. */
export function randomScene(name: string, height: number, width: number, seed: number): Sample {
  const rng = createRng(seed);
  const boxes: SceneBox[] = [
    { y: 0, x: 0, height: Math.floor(height / 3), width, trainId: 10, instance: false },
    {
      y: Math.floor(height / 6),
      x: rng.int(width / 2),
      height: Math.floor(height / 3),
      width: width / 3,
      trainId: 2,
      instance: false,
    },
  ];
  const count = 2 + rng.int(5);
  for (let k = 0; k < count; k++) {
    const h = 4 + rng.int(Math.max(1, height / 3)), w = 4 + rng.int(Math.max(1, width / 4));
    boxes.push({
      y: Math.floor(height / 3) + rng.int(Math.max(1, (2 * height) / 3 - h)),
      x: rng.int(Math.max(1, width - w)),
      height: h,
      width: w,
      trainId: rng.next() < 0.7 ? 13 : 11,
      crowd: rng.next() < 0.15,
    });
  }
  return sceneSample(name, height, width, boxes, { background: 0, seed });
}
