// The one in-memory form every dataset reader returns, and that augmentation and target generation consume.

/** A decoded frame with its labels. All maps are row-major, H*W (image H*W*3). */
export interface Sample {
  /** Frame name without extension, e.g. "000123_10" or "aachen_000000_000019". */
  name: string;
  width: number;
  height: number;
  /** RGB, uint8, H*W*3 interleaved. */
  image: Uint8Array;
  /** Class ids of the reader's label set (lib/data/labels/descriptor.ts; default the trainIds 0..18); 255 = ignore. */
  semantic: Uint8Array;
  /**
   * Instance index per pixel: 0 = no instance (stuff, void or crowd), 1..N = distinct thing instances of
   * this frame. null when the dataset has no instance labels.
   */
  instances: Int32Array | null;
  /** 1 where a thing pixel belongs to a crowd / group region (ignored by instance and panoptic losses/metrics). */
  crowd: Uint8Array | null;
}
