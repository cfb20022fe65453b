// Attribute combinations the depthwise gradient tests cover (MobileNetV2 and Panoptic-DeepLab use all of these
// shapes of problem: strides 1-2, same/valid/explicit padding, dilation, multiplier, odd sizes, batch 1 and 2).
import type { DepthwiseGeometry } from "./test_util.ts";

export const DEPTHWISE_CASES: DepthwiseGeometry[] = [
  { x: [2, 7, 9, 5], filter: [3, 3, 5, 1], strides: [1, 1], dilations: [1, 1], pad: "same" },
  { x: [2, 7, 9, 5], filter: [3, 3, 5, 1], strides: [2, 2], dilations: [1, 1], pad: "same" },
  { x: [1, 8, 6, 4], filter: [3, 3, 4, 1], strides: [2, 2], dilations: [1, 1], pad: "same" },
  { x: [2, 9, 7, 3], filter: [3, 3, 3, 1], strides: [2, 2], dilations: [1, 1], pad: "valid" },
  { x: [1, 6, 7, 4], filter: [3, 3, 4, 1], strides: [1, 2], dilations: [1, 1], pad: "valid" },
  { x: [2, 6, 5, 3], filter: [3, 3, 3, 1], strides: [1, 1], dilations: [1, 1], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [1, 7, 7, 3], filter: [3, 3, 3, 1], strides: [2, 2], dilations: [1, 1], pad: [[0, 0], [0, 1], [1, 1], [0, 0]] },
  { x: [1, 9, 8, 4], filter: [3, 3, 4, 1], strides: [1, 1], dilations: [2, 2], pad: "same" },
  { x: [2, 9, 9, 2], filter: [3, 3, 2, 1], strides: [1, 1], dilations: [2, 3], pad: "valid" },
  { x: [1, 11, 10, 3], filter: [5, 5, 3, 1], strides: [2, 2], dilations: [1, 1], pad: "same" },
  { x: [2, 6, 7, 3], filter: [3, 3, 3, 2], strides: [1, 1], dilations: [1, 1], pad: "same" },
  { x: [1, 7, 6, 2], filter: [3, 3, 2, 3], strides: [2, 2], dilations: [1, 1], pad: "same" },
];

export function describe(g: DepthwiseGeometry): string {
  const pad = typeof g.pad === "string" ? g.pad : JSON.stringify(g.pad);
  return `x ${g.x} filter ${g.filter} strides ${g.strides} dilations ${g.dilations} pad ${pad}`;
}
