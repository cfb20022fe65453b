// Layer table, parameter count and FLOPs of a tfjs-layers model built for a fixed input size (nested models,
// such as the encoder, are walked layer by layer). FLOPs count the convolutions' multiply-adds ×2.
import type * as tfl from "@tensorflow/tfjs-layers";

export interface LayerRow {
  name: string;
  type: string;
  outputShape: number[];
  params: number;
  flops: number;
}

export interface ModelSummary {
  layers: LayerRow[];
  params: number;
  trainableParams: number;
  flops: number;
}

type Layer = tfl.layers.Layer;

function isModel(layer: Layer): layer is Layer & { layers: Layer[] } {
  return Array.isArray((layer as unknown as { layers?: unknown }).layers);
}

function shapeOf(layer: Layer): number[] {
  const shape = layer.outputShape;
  return (Array.isArray(shape[0]) ? shape[0] : shape) as number[];
}

/**
 * "conv" / "depthwise" for convolution layers (Keras', the encoder's FoldedConvBn, the ASPP's AtrousDepthwiseConv2D),
 * else null.
 */
export function convKind(layer: Layer): "conv" | "depthwise" | null {
  switch (layer.getClassName()) {
    case "Conv2D":
      return "conv";
    case "DepthwiseConv2D":
    case "AtrousDepthwiseConv2D":
      return "depthwise";
    case "FoldedConvBn":
      return (layer as unknown as { args: { kind: "conv" | "depthwise" } }).args.kind;
    default:
      return null;
  }
}

function convFlops(layer: Layer): number {
  const kind = convKind(layer);
  if (!kind) return 0;
  const [, h, w, cout] = shapeOf(layer);
  if (h === null || w === null) throw new Error(`layer ${layer.name} has no fixed output size; build with inputSize`);
  // Kernel shape: [kh, kw, cin, cout] (conv) or [kh, kw, cin, multiplier] (depthwise).
  const kernel = layer.weights.find((v) => /kernel$/.test(v.originalName))!;
  const [kh, kw, cin] = kernel.shape as number[];
  return 2 * h * w * cout * (kind === "conv" ? kh * kw * cin : kh * kw);
}

/** Summarises `model` (built with a fixed input size). */
export function summarizeModel(model: tfl.LayersModel): ModelSummary {
  const layers: LayerRow[] = [];
  const walk = (list: Layer[]) => {
    for (const layer of list) {
      if (isModel(layer)) {
        walk(layer.layers);
        continue;
      }
      if (layer.getClassName() === "InputLayer") continue;
      layers.push({
        name: layer.name,
        type: layer.getClassName(),
        outputShape: shapeOf(layer),
        params: layer.countParams(),
        flops: convFlops(layer),
      });
    }
  };
  walk(model.layers);
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    layers,
    params: model.countParams(),
    trainableParams: sum(model.trainableWeights.map((w) => (w.shape as number[]).reduce((a, b) => a * b, 1))),
    flops: sum(layers.map((l) => l.flops)),
  };
}
