// Prepares a loaded model for inference: each tfjs-layers DepthwiseConv2D (nested models included) computes its
// convolution, bias and ReLU as one fused op, as tfjs-layers' Conv2D already does for itself; the stock layer runs
// them as three ops over the full-size output (the MobileNetV3 encoder and the decoders have 19 such layers). Only the
// loaders for inference apply it (lib/model/load.ts, the web page): training builds and resumes models without it,
// so checkpoints and resumes compute as before. The fused convolution stays at dilation 1, which is what the stock
// layer computes whatever its config says (see lib/model/atrous_depthwise.ts). Browser-safe: it imports only tfjs.
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";

/** The fields of tfjs-layers' DepthwiseConv2D the fused call reads (not part of its public typings). */
interface DepthwiseFields {
  strides: [number, number];
  padding: string;
  dataFormat: string;
  useBias: boolean;
  depthwiseKernel: tfl.LayerVariable;
  bias: tfl.LayerVariable | null;
  activation: { getClassName(): string; apply(x: tf.Tensor): tf.Tensor } | null;
}

/** Activations the fused kernel applies itself, by tfjs-layers' class name; others run after it. */
const FUSED_ACTIVATIONS = new Set(["linear", "relu", "relu6"]);

/** Layers already given the fused call. */
const fused = new WeakSet<tfl.layers.Layer>();

/** The stock layer's computation as one tf.fused.depthwiseConv2d (tfjs-core unfuses it under a gradient tape). */
function fusedDepthwiseCall(this: tfl.layers.Layer, inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return tf.tidy(() => {
    const f = this as unknown as DepthwiseFields;
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const activation = f.activation?.getClassName() ?? "linear";
    const inKernel = FUSED_ACTIVATIONS.has(activation);
    const y = tf.fused.depthwiseConv2d({
      x,
      filter: f.depthwiseKernel.read() as tf.Tensor4D,
      strides: f.strides,
      pad: f.padding === "same" ? "same" : "valid",
      dataFormat: "NHWC",
      bias: f.useBias && f.bias ? f.bias.read() : undefined,
      activation: inKernel ? activation as tf.fused.Activation : "linear",
    });
    return inKernel || !f.activation ? y : f.activation.apply(y);
  });
}

/** Every layer of `layers`, nested models' layers in place of the models. */
function leafLayers(layers: tfl.layers.Layer[]): tfl.layers.Layer[] {
  return layers.flatMap((l) => "layers" in l ? leafLayers((l as unknown as tfl.LayersModel).layers) : [l]);
}

/**
 * Gives every channels-last DepthwiseConv2D of `model` the fused call; returns how many layers it changed (0 when
 * called again).
 */
export function fuseForInference(model: tfl.LayersModel): number {
  let count = 0;
  for (const layer of leafLayers(model.layers)) {
    if (layer.getClassName() !== "DepthwiseConv2D" || fused.has(layer)) continue;
    if ((layer as unknown as DepthwiseFields).dataFormat !== "channelsLast") continue;
    layer.call = fusedDepthwiseCall;
    fused.add(layer);
    count++;
  }
  return count;
}
