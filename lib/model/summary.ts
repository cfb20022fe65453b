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

function convFlops(layer: Layer): number {
  const type = layer.getClassName();
  if (type !== "Conv2D" && type !== "DepthwiseConv2D") return 0;
  const [, h, w, cout] = shapeOf(layer);
  // Kernel shape: [kh, kw, cin, cout] (Conv2D) or [kh, kw, cin, multiplier] (DepthwiseConv2D).
  const [kh, kw, cin] = layer.getWeights()[0].shape as [number, number, number, number];
  if (h === null || w === null) throw new Error(`layer ${layer.name} has no fixed output size; build with inputSize`);
  const macsPerOutput = type === "Conv2D" ? kh * kw * cin : kh * kw;
  return 2 * h * w * cout * macsPerOutput;
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
