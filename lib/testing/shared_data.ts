// Test-only: the shared test data beside the project (../shared/data: the real KITTI frames with ika's split, ika's
// class scheme, and the fixtures with published answers). Every test reaches it through this one helper.
import { join } from "node:path";
import { PROJECT_ROOT } from "../io/project.ts";

/** `../shared/data` of the project root. */
export const SHARED_DATA = join(PROJECT_ROOT, "..", "shared", "data");

/** A path under ../shared/data, e.g. `sharedData("fixtures", "cityscapes-panoptic-frame")`. */
export function sharedData(...parts: string[]): string {
  return join(SHARED_DATA, ...parts);
}

/** The 200 real KITTI 2015 semantics frames with ika's ACDC split. */
export const SHARED_KITTI = sharedData("kitti-semantics-2015");
/** The real Cityscapes-format panoptic frame (deeplab2's test data). */
export const PANOPTIC_FRAME = sharedData("fixtures", "cityscapes-panoptic-frame");
