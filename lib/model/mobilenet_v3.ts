// MobileNetV3-Large (width 0.75) encoder as a tfjs-layers model for any input size, rebuilt from the CenterNet
// detector's graph (lib/model/centernet_package.ts) and loaded with its COCO-trained weights by name, or randomly
// initialised; every layer is trainable. Batch norm is folded in the source, so each convolution has a bias.
// Inputs are NHWC RGB in [-1, 1] (normalizeImages), rescaled inside to the [0, 255] the detector was trained on.
import * as tfl from "@tensorflow/tfjs-layers";
import { HardSwish, SqueezeExcite, ToPixels } from "./mobilenet_v3_layers.ts";
import { FEATURE_STRIDES, type FeatureStride } from "./backbone.ts";
import { loadPretrainedWeights } from "./pretrained.ts";
import { DEFAULT_COCO_PRETRAINED_DIR, ensurePretrainedMobileNetV3Coco } from "./pretrained_coco.ts";

type S = tfl.SymbolicTensor;
type Activation = "relu" | "hard_swish";

/**
 * One inverted-residual block of the graph (`expanded_conv`, `expanded_conv_1`, …): depthwise kernel size, expanded
 * channels (no expansion conv when equal to the input's), output channels, squeeze-excite bottleneck channels (0:
 * none), activation and stride. A block adds its input when the stride is 1 and the channels stay.
 */
interface BlockSpec {
  k: 3 | 5;
  expand: number;
  out: number;
  se: number;
  act: Activation;
  s: 1 | 2;
}

/** Read off centernet.json's node list (weights' shapes, strides, fused activations). */
const BLOCKS: BlockSpec[] = [
  { k: 3, expand: 16, out: 16, se: 0, act: "relu", s: 1 },
  { k: 3, expand: 64, out: 24, se: 0, act: "relu", s: 2 },
  { k: 3, expand: 72, out: 24, se: 0, act: "relu", s: 1 },
  { k: 5, expand: 72, out: 32, se: 24, act: "relu", s: 2 },
  { k: 5, expand: 96, out: 32, se: 24, act: "relu", s: 1 },
  { k: 5, expand: 96, out: 32, se: 24, act: "relu", s: 1 },
  { k: 3, expand: 192, out: 64, se: 0, act: "hard_swish", s: 2 },
  { k: 3, expand: 160, out: 64, se: 0, act: "hard_swish", s: 1 },
  { k: 3, expand: 144, out: 64, se: 0, act: "hard_swish", s: 1 },
  { k: 3, expand: 144, out: 64, se: 0, act: "hard_swish", s: 1 },
  { k: 3, expand: 384, out: 88, se: 96, act: "hard_swish", s: 1 },
  { k: 3, expand: 528, out: 88, se: 136, act: "hard_swish", s: 1 },
  { k: 5, expand: 528, out: 120, se: 136, act: "hard_swish", s: 2 },
  { k: 5, expand: 720, out: 120, se: 184, act: "hard_swish", s: 1 },
  { k: 5, expand: 720, out: 120, se: 184, act: "hard_swish", s: 1 },
];
const STEM_CHANNELS = 16;
const TOP_CHANNELS = 480;

/**
 * The features, as in MobileNetV2's taps: the expansion output of the first block of the next stride (the widest
 * activation at that stride), and the final 1x1 convolution at stride 32. Values: our layer name, the graph node.
 */
export const V3_FEATURE_LAYERS: Record<FeatureStride, { layer: string; node: string }> = {
  4: { layer: "expanded_conv_3/expand", node: "tower_0/MobilenetV3/expanded_conv_3/expand/Relu" },
  8: {
    layer: "expanded_conv_6/expand/hard_swish",
    node: "tower_0/MobilenetV3/expanded_conv_6/expand/hard_swish/mul_1",
  },
  16: {
    layer: "expanded_conv_12/expand/hard_swish",
    node: "tower_0/MobilenetV3/expanded_conv_12/expand/hard_swish/mul_1",
  },
  32: { layer: "extern1/hard_swish", node: "tower_0/extern1/hard_swish/mul_1" },
};
export const V3_FEATURE_CHANNELS: Record<FeatureStride, number> = { 4: 72, 8: 192, 16: 528, 32: TOP_CHANNELS };

export interface MobileNetV3Options {
  /** Load the COCO-trained weights (extracting them first if needed). Default true. */
  pretrained?: boolean;
  /** Folder of the extracted weights; default data/pretrained/mobilenet_v3_coco. */
  weightsDir?: string;
  /** Features to return, in this order; layers past the deepest one are not built. Default [4, 8, 16, 32]. */
  strides?: FeatureStride[];
  /** Fixed input height and width, or null for any size (the default). */
  inputSize?: [number | null, number | null];
  /** Seed of the random initialisation (pretrained: false), so two builds start equal; default: unseeded. */
  seed?: number;
}

/** The graph's weight name of one of our weights (`<layer>/kernel`, `<layer>/bias`, …). */
export function graphWeightName(ours: string): string {
  if (ours.includes("/squeeze_excite/")) return `MobilenetV3/${ours}`;
  const slash = ours.lastIndexOf("/");
  const layer = ours.slice(0, slash);
  const op = layer.endsWith("depthwise") ? "depthwise" : "Conv2D";
  const scope = layer === "extern1" ? "tower_0" : "tower_0/MobilenetV3";
  const suffix = ours.endsWith("/bias") ? "bn_offset" : "weights";
  return `${scope}/${layer}/${op}_${suffix}`;
}

/** Builds the encoder; outputs one feature map per requested stride. */
export async function buildMobileNetV3Coco(options: MobileNetV3Options = {}): Promise<tfl.LayersModel> {
  const strides = options.strides ?? [...FEATURE_STRIDES];
  if (strides.length === 0 || strides.some((s) => !FEATURE_STRIDES.includes(s))) {
    throw new Error(`MobileNetV3 strides must be among ${FEATURE_STRIDES.join(", ")}; got ${strides.join(", ")}`);
  }
  let layerIndex = 0;
  const seed = () => options.seed === undefined ? undefined : options.seed * 1000 + layerIndex++;
  const wanted = new Set(strides.map((s) => V3_FEATURE_LAYERS[s].layer));
  const features = new Map<string, S>();
  const done = () => features.size === wanted.size;
  const keep = (name: string, x: S) => {
    if (wanted.has(name)) features.set(name, x);
    return x;
  };
  /** A biased convolution (depthwise when `filters` is undefined) and its activation, as one graph scope. */
  const conv = (x: S, name: string, act: Activation | "linear", kernelSize = 1, strides = 1, filters?: number) => {
    const common = {
      name,
      kernelSize,
      strides,
      padding: "same",
      activation: act === "relu" ? "relu" : "linear",
    } as const;
    const init = tfl.initializers.glorotUniform({ seed: seed() });
    const layer = filters === undefined
      ? tfl.layers.depthwiseConv2d({ ...common, depthwiseInitializer: init })
      : tfl.layers.conv2d({ ...common, filters, kernelInitializer: init });
    const y = keep(name, layer.apply(x) as S);
    return act === "hard_swish"
      ? keep(`${name}/hard_swish`, new HardSwish({ name: `${name}/hard_swish` }).apply(y) as S)
      : y;
  };

  const [h, w] = options.inputSize ?? [null, null];
  const input = tfl.input({ name: "image", shape: [h, w, 3] });
  const pixels = new ToPixels({ name: "to_pixels" }).apply(input) as S;
  let x = conv(pixels, "Conv", "hard_swish", 3, 2, STEM_CHANNELS);
  let channels = STEM_CHANNELS;
  for (const [i, b] of BLOCKS.entries()) {
    if (done()) break;
    const p = i === 0 ? "expanded_conv" : `expanded_conv_${i}`;
    let y = b.expand === channels ? x : conv(x, `${p}/expand`, b.act, 1, 1, b.expand);
    if (done()) break;
    y = conv(y, `${p}/depthwise`, b.act, b.k, b.s);
    if (b.se) {
      y = new SqueezeExcite({ name: `${p}/squeeze_excite`, squeeze: b.se, seed: seed() }).apply(y) as S;
    }
    y = conv(y, `${p}/project`, "linear", 1, 1, b.out);
    x = b.s === 1 && channels === b.out ? tfl.layers.add({ name: `${p}/add` }).apply([x, y]) as S : y;
    channels = b.out;
  }
  if (!done()) conv(x, "extern1", "hard_swish", 1, 1, TOP_CHANNELS);
  const model = tfl.model({
    name: "mobilenet_v3_coco_backbone",
    inputs: input,
    outputs: strides.map((s) => features.get(V3_FEATURE_LAYERS[s].layer)!),
  });
  if (options.pretrained ?? true) await loadCocoWeights(model, options.weightsDir ?? DEFAULT_COCO_PRETRAINED_DIR);
  return model;
}

/** Sets every weight of `model` from the extracted file by its graph name; fails naming the first one missing. */
async function loadCocoWeights(model: tfl.LayersModel, dir: string): Promise<void> {
  await ensurePretrainedMobileNetV3Coco(dir);
  loadPretrainedWeights(model, dir, model.weights.map((w) => [w.originalName, graphWeightName(w.originalName)]));
}
