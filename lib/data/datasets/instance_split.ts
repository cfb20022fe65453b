// Turns a dataset's raw per-pixel instance keys into Sample's instance indices (1..N) and crowd mask, for
// thing classes only; also decodes the two raw encodings: Cityscapes labelId*1000+k and KITTI labelId*256+k.

import { LABEL_DIVISOR, LABEL_SETS } from "../labels/descriptor.ts";

export interface InstanceMaps {
  /** 0 = none; 1..N numbered in ascending order of the raw key. */
  instances: Int32Array;
  /** 1 on thing pixels that belong to no individual instance (crowd / group regions). */
  crowd: Uint8Array;
  /** Number of instances N. */
  count: number;
}

/**
 * On thing pixels (by `semantic` class and `isThing`, 256 entries: the label set's) a key > 0 names an individual
 * instance and key 0 marks a crowd region; stuff and ignored pixels get neither. Equal keys form one instance.
 */
export function splitInstances(
  semantic: Uint8Array,
  keys: Int32Array,
  isThing: Uint8Array = LABEL_SETS.cityscapes19.isThing,
): InstanceMaps {
  const n = semantic.length;
  const instances = new Int32Array(n);
  const crowd = new Uint8Array(n);
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (!isThing[semantic[i]]) continue;
    if (keys[i] > 0) seen.add(keys[i]);
    else crowd[i] = 1;
  }
  const index = new Map([...seen].sort((a, b) => a - b).map((k, j) => [k, j + 1]));
  for (let i = 0; i < n; i++) {
    if (isThing[semantic[i]] && keys[i] > 0) instances[i] = index.get(keys[i])!;
  }
  return { instances, crowd, count: index.size };
}

export interface RawInstanceDecode {
  labelIds: Uint8Array;
  /** The raw id where it names an individual instance, else 0. */
  keys: Int32Array;
}

/**
 * Cityscapes `*_instanceIds.png`: id ≥ 1000 is labelId*1000 + k (k from 0), an individual instance; id < 1000
 * is a plain labelId (stuff, or a crowd group on a thing class).
 */
export function decodeCityscapesInstanceIds(raw: ArrayLike<number>): RawInstanceDecode {
  const labelIds = new Uint8Array(raw.length);
  const keys = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    if (v >= LABEL_DIVISOR) {
      labelIds[i] = Math.floor(v / LABEL_DIVISOR);
      keys[i] = v;
    } else labelIds[i] = v;
  }
  return { labelIds, keys };
}

/**
 * KITTI `instance/*.png` (uint16): labelId*256 + k. k > 0 is an individual instance; k = 0 on a thing class
 * is read as a crowd region, as in Cityscapes.
 */
export function decodeKittiInstanceIds(raw: Uint16Array): RawInstanceDecode {
  const labelIds = new Uint8Array(raw.length);
  const keys = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    labelIds[i] = raw[i] >> 8;
    if (raw[i] & 255) keys[i] = raw[i];
  }
  return { labelIds, keys };
}
