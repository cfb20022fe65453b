// The datasets the project links in from ../shared/data, with where a user elsewhere downloads them.
import type { DataLink } from "./data_links.ts";
import { checkKittiFolder } from "../../lib/data/datasets/kitti.ts";

export const KITTI_DOWNLOAD = "Download KITTI semantic segmentation 2015 (data_semantics.zip, training part: " +
  "image_2/ and semantic_rgb/) from https://www.cvlibs.net/datasets/kitti/eval_semseg.php?benchmark=semantics2015, " +
  "or copy the same folder from ika's acdc-notebooks repository " +
  "(section_2_sensor_data_processing/datasets/kitti), into data/kitti/, with splits/acdc_train.txt and " +
  "splits/acdc_val.txt (ika's ACDC 140/60 split).";

export const DATA_LINKS: DataLink[] = [{
  name: "KITTI semantics 2015",
  target: "data/kitti",
  shared: "../shared/data/kitti-semantics-2015",
  download: KITTI_DOWNLOAD,
  check: checkKittiFolder,
}];
