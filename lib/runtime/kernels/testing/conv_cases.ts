// Attribute combinations the dense convolution tests cover: strides 1-2 (also mixed), same/valid/explicit padding,
// 1x1 to 7x7 and non-square filters, odd sizes, few and many channels, batch 1 and 2 — and the geometry tfjs derives
// from them.
import * as tf from "@tensorflow/tfjs-core";

export type Pad = "same" | "valid" | [[number, number], [number, number], [number, number], [number, number]];
export interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: [number, number];
  pad: Pad;
}

export const CONV_CASES: ConvCase[] = [
  { x: [2, 7, 9, 3], filter: [3, 3, 3, 4], strides: [1, 1], pad: "same" },
  { x: [2, 7, 9, 3], filter: [3, 3, 3, 4], strides: [2, 2], pad: "same" },
  { x: [1, 8, 6, 2], filter: [3, 3, 2, 5], strides: [2, 2], pad: "same" },
  { x: [2, 9, 7, 3], filter: [3, 3, 3, 2], strides: [2, 2], pad: "valid" },
  { x: [1, 6, 7, 3], filter: [3, 3, 3, 2], strides: [1, 2], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [2, 5, 7, 6], filter: [1, 1, 6, 4], strides: [1, 1], pad: "valid" },
  { x: [2, 5, 7, 6], filter: [1, 1, 6, 4], strides: [1, 1], pad: "same" },
  { x: [2, 5, 7, 6], filter: [1, 1, 6, 4], strides: [2, 2], pad: "same" },
  { x: [1, 9, 8, 2], filter: [5, 3, 2, 3], strides: [1, 1], pad: "valid" },
  { x: [1, 11, 10, 3], filter: [7, 7, 3, 2], strides: [2, 2], pad: "same" },
  // ≥ 16 channels in or out: the SIMD kernels' own paths (conv2d.ts), long runs of pixels (filter gradients)
  { x: [2, 7, 9, 20], filter: [3, 3, 20, 12], strides: [1, 1], pad: "same" },
  { x: [1, 9, 14, 16], filter: [3, 3, 16, 8], strides: [2, 2], pad: "same" },
  { x: [1, 8, 9, 5], filter: [3, 3, 5, 16], strides: [2, 2], pad: "same" },
  { x: [2, 20, 30, 16], filter: [1, 1, 16, 40], strides: [1, 1], pad: "valid" },
  { x: [1, 3, 300, 4], filter: [3, 3, 4, 8], strides: [1, 1], pad: "same" },
];

/** The output shape of the forward convolution, i.e. the shape of its gradient dy. */
export function convOutShape(c: ConvCase): number[] {
  return tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad).outShape;
}

export function describeConv(c: ConvCase): string {
  return `x ${c.x} filter ${c.filter} strides ${c.strides} pad ${JSON.stringify(c.pad)}`;
}
