// MobileNetV2 (alpha 1.0) encoder as a tfjs-layers model for any input size, returning the stride 4/8/16/32
// features. Weights come from the extracted nsfwjs model (pretrained) or a random initialisation; all layers
// are trainable. Inputs are NHWC RGB scaled to [-1, 1] (see normalizeImages).
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { DEFAULT_PRETRAINED_DIR, ensurePretrainedMobileNetV2, readPretrainedWeights } from "./pretrained.ts";

export type FeatureStride = 4 | 8 | 16 | 32;
export const FEATURE_STRIDES: readonly FeatureStride[] = [4, 8, 16, 32];

/** Keras layer names of the features (expansion activations just before each stride-2 block, and the last one). */
export const FEATURE_LAYERS: Record<FeatureStride, string> = {
  4: "block_3_expand_relu",
  8: "block_6_expand_relu",
  16: "block_13_expand_relu",
  32: "out_relu",
};
export const FEATURE_CHANNELS: Record<FeatureStride, number> = { 4: 144, 8: 192, 16: 576, 32: 1280 };

export interface BackboneOptions {
  /** Load the ImageNet-derived weights (extracting them first if needed). Default true. */
  pretrained?: boolean;
  /** Folder of the extracted weights; default data/pretrained/mobilenet_v2. */
  weightsDir?: string;
  /** Features to return, in this order; layers past the deepest one are not built. Default [4, 8, 16, 32]. */
  strides?: FeatureStride[];
  /** Fixed input height and width, or null for any size (the default). */
  inputSize?: [number | null, number | null];
}

/** Inverted residual settings of MobileNetV2: expansion t, output channels c, repeats n, first stride s. */
const BLOCKS: { t: number; c: number; n: number; s: number }[] = [
  { t: 1, c: 16, n: 1, s: 1 },
  { t: 6, c: 24, n: 2, s: 2 },
  { t: 6, c: 32, n: 3, s: 2 },
  { t: 6, c: 64, n: 4, s: 2 },
  { t: 6, c: 96, n: 3, s: 1 },
  { t: 6, c: 160, n: 3, s: 2 },
  { t: 6, c: 320, n: 1, s: 1 },
];

/** Scales images from [0, 1] to the [-1, 1] range MobileNetV2 was trained on. */
export function normalizeImages(images01: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.sub(tf.mul(images01, 2), 1));
}

// Keras pads stride-2 layers by (0, 1) for even sizes; tfjs "same" padding is identical there and gives
// ceil(size / 2) for odd sizes, so one architecture serves any input size.
function convBnRelu(x: tfl.SymbolicTensor, name: string, bnName: string, filters: number, kernel: number, stride = 1) {
  const conv = tfl.layers.conv2d({
    name,
    filters,
    kernelSize: kernel,
    strides: stride,
    padding: "same",
    useBias: false,
  })
    .apply(x) as tfl.SymbolicTensor;
  return batchNorm(conv, bnName);
}

function batchNorm(x: tfl.SymbolicTensor, name: string): tfl.SymbolicTensor {
  return tfl.layers.batchNormalization({ name, epsilon: 1e-3, momentum: 0.999 }).apply(x) as tfl.SymbolicTensor;
}

function relu6(x: tfl.SymbolicTensor, name: string): tfl.SymbolicTensor {
  return tfl.layers.reLU({ name, maxValue: 6 }).apply(x) as tfl.SymbolicTensor;
}

/** Builds the encoder; outputs one feature map per requested stride. */
export async function buildBackbone(options: BackboneOptions = {}): Promise<tfl.LayersModel> {
  const strides = options.strides ?? [...FEATURE_STRIDES];
  if (strides.length === 0 || strides.some((s) => !FEATURE_STRIDES.includes(s))) {
    throw new Error(`backbone strides must be among ${FEATURE_STRIDES.join(", ")}; got ${strides.join(", ")}`);
  }
  const wanted = new Set(strides.map((s) => FEATURE_LAYERS[s]));
  const features = new Map<string, tfl.SymbolicTensor>();
  const keep = (name: string, x: tfl.SymbolicTensor) => {
    if (wanted.has(name)) features.set(name, x);
    return x;
  };
  const [h, w] = options.inputSize ?? [null, null];
  const input = tfl.input({ name: "image", shape: [h, w, 3] });
  let x = relu6(convBnRelu(input, "Conv1", "bn_Conv1", 32, 3, 2), "Conv1_relu");
  let channels = 32;
  let id = 0;
  for (const { t, c, n, s } of BLOCKS) {
    for (let i = 0; i < n && features.size < wanted.size; i++, id++) {
      const prefix = id === 0 ? "expanded_conv_" : `block_${id}_`;
      const stride = i === 0 ? s : 1;
      let y = x;
      if (t !== 1) {
        y = convBnRelu(y, `${prefix}expand`, `${prefix}expand_BN`, channels * t, 1);
        y = keep(`${prefix}expand_relu`, relu6(y, `${prefix}expand_relu`));
        if (features.size === wanted.size) break;
      }
      y = tfl.layers.depthwiseConv2d({
        name: `${prefix}depthwise`,
        kernelSize: 3,
        strides: stride,
        padding: "same",
        useBias: false,
      }).apply(y) as tfl.SymbolicTensor;
      y = relu6(batchNorm(y, `${prefix}depthwise_BN`), `${prefix}depthwise_relu`);
      y = convBnRelu(y, `${prefix}project`, `${prefix}project_BN`, c, 1);
      x = stride === 1 && channels === c
        ? tfl.layers.add({ name: `${prefix}add` }).apply([x, y]) as tfl.SymbolicTensor
        : y;
      channels = c;
    }
  }
  if (features.size < wanted.size) {
    x = keep("out_relu", relu6(convBnRelu(x, "Conv_1", "Conv_1_bn", 1280, 1), "out_relu"));
  }
  const model = tfl.model({
    name: "mobilenet_v2_backbone",
    inputs: input,
    outputs: strides.map((s) => features.get(FEATURE_LAYERS[s])!),
  });
  if (options.pretrained ?? true) await loadPretrained(model, options.weightsDir ?? DEFAULT_PRETRAINED_DIR);
  return model;
}

/** Sets every weight of `model` from the extracted file, by layer/weight name; fails if one is missing. */
async function loadPretrained(model: tfl.LayersModel, dir: string): Promise<void> {
  await ensurePretrainedMobileNetV2(dir);
  const stored = readPretrainedWeights(dir);
  tf.tidy(() => {
    const map: tf.NamedTensorMap = {};
    for (const layer of model.layers) {
      for (const weight of layer.weights) {
        const found = stored.get(weight.originalName);
        if (!found) throw new Error(`${dir}: no pretrained weight ${weight.originalName}`);
        if (found.shape.join() !== weight.shape.join()) {
          throw new Error(
            `${dir}: ${weight.originalName} is [${found.shape}] but the backbone needs [${weight.shape}]`,
          );
        }
        map[weight.originalName] = tf.tensor(found.values, found.shape);
      }
    }
    model.loadWeights(map);
  });
}
