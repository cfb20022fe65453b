// Panoptic-DeepLab on a MobileNetV2 (ImageNet-derived) or MobileNetV3 (COCO-trained) encoder (tfjs-layers,
// model.encoder): a light ASPP on the stride-16 features, a semantic
// decoder and a separate, lighter instance decoder that fuse the stride-8 and stride-4 features, and three heads
// (semantic logits, centre heatmap, centre offsets) upsampled from stride 4 to the input size.
// Batch norm is frozen: the encoder's statistics are folded into its convolutions (as detectron2 freezes them for
// small batches) and the decoder uses biased convolutions without batch norm, so training and inference compute
// the same function whatever the batch size or the number of data-parallel workers.
import * as tfl from "@tensorflow/tfjs-layers";
import { LABEL_SET_NAMES, LABEL_SETS, type LabelSetName } from "../data/labels/descriptor.ts";
import { AtrousDepthwiseConv2D } from "./atrous_depthwise.ts";
import { buildBackbone, type FeatureStride } from "./backbone.ts";
import { buildMobileNetV3Coco } from "./mobilenet_v3.ts";
import { type Head, logitsLayer, SIZE_MULTIPLE } from "./outputs.ts";

interface EncoderBuild {
  seed: number;
  pretrained: boolean;
  strides: FeatureStride[];
  inputSize: [number | null, number | null];
}

/** The encoders model.encoder chooses from: how each is built, and the name of the model built on it. */
export const ENCODERS = {
  /** nsfwjs' MobileNetV2 1.0 (lib/model/backbone.ts), batch norm folded. */
  mobilenet_v2: {
    modelName: "panoptic_deeplab_mobilenetv2",
    build: (o: EncoderBuild) => buildBackbone({ ...o, batchNorm: "folded" }),
  },
  /** The CenterNet detector's MobileNetV3-Large 0.75 (lib/model/mobilenet_v3.ts). */
  mobilenet_v3_coco: {
    modelName: "panoptic_deeplab_mobilenet_v3_coco",
    build: (o: EncoderBuild) => buildMobileNetV3Coco(o),
  },
} as const;
export type EncoderName = keyof typeof ENCODERS;
export const ENCODER_NAMES = Object.keys(ENCODERS) as EncoderName[];

export interface PanopticDeepLabConfig {
  /**
   * The classes the semantic head predicts (lib/data/labels/descriptor.ts): "cityscapes19" (the 19 trainIds; every
   * run before the full-label head) or "acdc30" (ika's 30 classes, the 19 derived from them).
   */
  labels: LabelSetName;
  /** Overrides the label set's class count (tests of the architecture only). */
  numClasses?: number;
  /** Channels of the ASPP and of the semantic decoder (deeplab2: 256). */
  decoderChannels: number;
  /** Channels of the instance decoder (deeplab2: 128). */
  instanceChannels: number;
  /** Channels of the stride-8 / stride-4 projections in the semantic decoder (deeplab2: 64 / 32). */
  semanticLowLevel: [number, number];
  /** Same for the instance decoder (deeplab2: 32 / 16). */
  instanceLowLevel: [number, number];
  /** Atrous rates of the ASPP's two separable 3x3 branches at stride 16. */
  asppRates: [number, number];
  /**
   * The ASPP's separable branches convolve at their atrous rates (true; lib/model/atrous_depthwise.ts), or at rate
   * 1 (false): what every run before that layer computed, since tfjs-layers' DepthwiseConv2D ignores its dilation
   * rate while saving it in the model's config.
   */
  atrous: boolean;
  /** The encoder; its stride-4/8/16 features feed the decoders, whatever their channels. */
  encoder: EncoderName;
  /** The encoder's pretrained weights, or the same architecture randomly initialised. */
  pretrained: boolean;
  /** Seed of the random initialisation, so that two builds start from the same weights. */
  seed: number;
  /**
   * Initialisation of the decoders' ReLU convolutions. "glorot": Glorot-uniform everywhere (what runs/default and
   * the ablations except ablation-he-init used); tfjs counts a depthwise kernel's fan-in as 9 × channels, so
   * depthwise weights start about √channels too small and, without batch norm, the signal fades layer by layer.
   * "he" (default since the final run): He-uniform with the true fan-in (9 for a depthwise 3x3), which keeps the
   * activations' scale through the decoder.
   */
  decoderInit: "glorot" | "he";
  /**
   * Kernel of the depthwise convolutions in the decoders' fusion and the heads: 3 (ours so far) or 5 (the
   * Panoptic-DeepLab paper's and deeplab2's 5x5 depthwise-separable convolutions). The ASPP's atrous branches stay 3x3.
   */
  decoderKernel: 3 | 5;
}

export const DEFAULT_MODEL_CONFIG: PanopticDeepLabConfig = {
  labels: "cityscapes19",
  decoderChannels: 128,
  instanceChannels: 64,
  semanticLowLevel: [64, 32],
  instanceLowLevel: [32, 16],
  asppRates: [3, 6],
  atrous: true,
  encoder: "mobilenet_v2",
  pretrained: true,
  seed: 1,
  decoderInit: "he",
  decoderKernel: 3,
};

type S = tfl.SymbolicTensor;

/** Seeded initialisers, one seed per layer in build order (the same order whatever the initialisation kind). */
class Seeds {
  private next = 0;
  constructor(private readonly base: number, private readonly kind: PanopticDeepLabConfig["decoderInit"]) {}
  private seed() {
    return this.base * 1000 + this.next++;
  }
  /** A convolution followed by a ReLU. */
  relu() {
    const seed = this.seed();
    return this.kind === "he" ? tfl.initializers.heUniform({ seed }) : tfl.initializers.glorotUniform({ seed });
  }
  /** A depthwise convolution of `channels` channels followed by a ReLU. */
  depthwise(channels: number) {
    const seed = this.seed();
    if (this.kind === "glorot") return tfl.initializers.glorotUniform({ seed });
    // tfjs' fan-in of a depthwise kernel is kh·kw·channels; the true one is kh·kw (whatever the kernel size).
    return tfl.initializers.varianceScaling({ scale: 2 * channels, mode: "fanIn", distribution: "uniform", seed });
  }
  /** A linear output layer. */
  linear() {
    return tfl.initializers.glorotUniform({ seed: this.seed() });
  }
}

function convRelu(x: S, seeds: Seeds, name: string, filters: number): S {
  return tfl.layers.conv2d({ name, filters, kernelSize: 1, activation: "relu", kernelInitializer: seeds.relu() })
    .apply(x) as S;
}

/**
 * Depthwise k×k + ReLU, then pointwise 1x1 + ReLU (deeplab2's "depthwise separable" conv, without batch norm). With
 * `atrous` false, a dilation is stored in the layer's config but not computed (tfjs-layers' DepthwiseConv2D).
 */
function separable(
  x: S,
  seeds: Seeds,
  name: string,
  filters: number,
  { dilation = 1, kernelSize = 3, atrous = true } = {},
): S {
  const args = {
    name: `${name}_dw`,
    kernelSize,
    dilationRate: dilation,
    padding: "same",
    depthwiseInitializer: seeds.depthwise(x.shape[3] as number),
  } as const;
  const layer = atrous && dilation > 1 ? new AtrousDepthwiseConv2D(args) : tfl.layers.depthwiseConv2d(args);
  return convRelu(relu(layer.apply(x) as S, `${name}_dw`), seeds, `${name}_pw`, filters);
}

function relu(x: S, name: string): S {
  return tfl.layers.reLU({ name: `${name}_relu` }).apply(x) as S;
}

function upsample(x: S, name: string, factor: number): S {
  return tfl.layers.upSampling2d({ name, size: [factor, factor], interpolation: "bilinear" }).apply(x) as S;
}

function aspp(x: S, seeds: Seeds, c: PanopticDeepLabConfig): S {
  const branches = [
    convRelu(x, seeds, "aspp_1x1", c.decoderChannels),
    ...c.asppRates.map((r) =>
      separable(x, seeds, `aspp_rate${r}`, c.decoderChannels, { dilation: r, atrous: c.atrous })
    ),
  ];
  const merged = tfl.layers.concatenate({ name: "aspp_concat" }).apply(branches) as S;
  return convRelu(merged, seeds, "aspp_project", c.decoderChannels);
}

/** Upsamples `x` to stride 8 and 4, each time concatenating a 1x1 projection of the encoder feature. */
function decoder(
  seeds: Seeds,
  prefix: string,
  x: S,
  [s8, s4]: [S, S],
  channels: number,
  lowLevel: [number, number],
  kernelSize: number,
): S {
  let y = x;
  for (const [i, feature] of [s8, s4].entries()) {
    const stride = i === 0 ? 8 : 4;
    const projected = convRelu(feature, seeds, `${prefix}_proj_s${stride}`, lowLevel[i]);
    const up = upsample(y, `${prefix}_up_s${stride}`, 2);
    y = tfl.layers.concatenate({ name: `${prefix}_concat_s${stride}` }).apply([up, projected]) as S;
    y = separable(y, seeds, `${prefix}_fuse_s${stride}`, channels, { kernelSize });
  }
  return y;
}

function head(x: S, seeds: Seeds, name: Head, hidden: number, outputs: number, kernelSize: number): S {
  const h = separable(x, seeds, `${name}_head`, hidden, { kernelSize });
  const logits = tfl.layers.conv2d({
    name: logitsLayer(name),
    filters: outputs,
    kernelSize: 1,
    kernelInitializer: seeds.linear(),
  }).apply(h) as S;
  return upsample(logits, name, 4);
}

/**
 * Builds the model for NHWC inputs in [-1, 1] of any size that is a multiple of 16 (or a fixed `inputSize`).
 * Outputs [semantic logits N×H×W×C, centre heatmap N×H×W×1 (linear, regressed to the Gaussian targets with MSE
 * as in deeplab2), offsets N×H×W×2 (dy, dx) in input pixels].
 */
export async function buildPanopticDeepLab(
  config: Partial<PanopticDeepLabConfig> = {},
  inputSize: [number | null, number | null] = [null, null],
): Promise<tfl.LayersModel> {
  const c = { ...DEFAULT_MODEL_CONFIG, ...config };
  if (c.decoderInit !== "glorot" && c.decoderInit !== "he") {
    throw new Error(`model decoderInit "${c.decoderInit}" must be "glorot" or "he"`);
  }
  for (const size of inputSize) {
    if (size !== null && size % SIZE_MULTIPLE !== 0) {
      throw new Error(`model input size ${inputSize.join("x")} must be a multiple of ${SIZE_MULTIPLE}`);
    }
  }
  if (c.decoderKernel !== 3 && c.decoderKernel !== 5) {
    throw new Error(`model decoderKernel ${c.decoderKernel} must be 3 or 5`);
  }
  if (!ENCODER_NAMES.includes(c.encoder)) {
    throw new Error(`model encoder "${c.encoder}" must be one of ${ENCODER_NAMES.join(", ")}`);
  }
  if (!LABEL_SET_NAMES.includes(c.labels)) {
    throw new Error(`model labels "${c.labels}" must be one of ${LABEL_SET_NAMES.join(", ")}`);
  }
  const seeds = new Seeds(c.seed, c.decoderInit);
  const encoder = await ENCODERS[c.encoder].build({
    seed: c.seed,
    pretrained: c.pretrained,
    strides: [4, 8, 16],
    inputSize,
  });
  const input = tfl.input({ name: "image", shape: [inputSize[0], inputSize[1], 3] });
  const [s4, s8, s16] = encoder.apply(input) as S[];
  const context = aspp(s16, seeds, c);
  const k = c.decoderKernel;
  const semantic = decoder(seeds, "semantic", context, [s8, s4], c.decoderChannels, c.semanticLowLevel, k);
  const instance = decoder(seeds, "instance", context, [s8, s4], c.instanceChannels, c.instanceLowLevel, k);
  const half = Math.max(8, c.instanceChannels / 2);
  return tfl.model({
    name: ENCODERS[c.encoder].modelName,
    inputs: input,
    outputs: [
      head(semantic, seeds, "semantic", c.decoderChannels, c.numClasses ?? LABEL_SETS[c.labels].classes.length, k),
      head(instance, seeds, "center", half, 1, k),
      head(instance, seeds, "offset", half, 2, k),
    ],
  });
}
