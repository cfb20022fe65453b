// The network's interface without the network: its output heads and the input size it takes. Kept apart from the
// model builder (which reaches the pretrained weights on disk) so inference imports it in a browser too.

/** Output names, in the order the model returns them. */
export const HEADS = ["semantic", "center", "offset"] as const;
export type Head = typeof HEADS[number];

/** The name of a head's last convolution (its outputs before upsampling): `semantic`'s channels are its classes. */
export const logitsLayer = (head: Head) => `${head}_logits`;

/** Input height and width must be multiples of this (the deepest feature used has stride 16). */
export const SIZE_MULTIPLE = 16;

/** The size the network runs a frame's height or width at: `size` padded up to a multiple of SIZE_MULTIPLE. */
export function paddedSize(size: number): number {
  return Math.ceil(size / SIZE_MULTIPLE) * SIZE_MULTIPLE;
}
