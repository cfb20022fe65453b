// A depthwise convolution that honours its dilation rate, for the ASPP's atrous branches. tfjs-layers' own
// DepthwiseConv2D (4.22) accepts `dilationRate`, stores it in the saved config, and ignores it ("TODO(cais): Add
// support for dilation"): every model built before this layer existed convolved its "rate 3" and "rate 6" ASPP
// branches at rate 1, and still does when loaded, since its saved layers name DepthwiseConv2D. This layer keeps that
// class's weights and config; under a gradient tape it computes the dilated convolution as the sum of the kernel's
// taps over shifted views of the zero-padded input (tfjs has no gradient for a dilated depthwise convolution; pad,
// slice, multiply and add all have theirs), elsewhere with the backend's dilated kernel. Stride 1 and "same" padding,
// as the ASPP uses it.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";

/** The fields of tfjs-layers' DepthwiseConv2D this layer reads (not part of its public typings). */
interface DepthwiseFields {
  kernelSize: [number, number];
  dilationRate: [number, number];
  strides: [number, number];
  padding: string;
  useBias: boolean;
  depthwiseKernel: tfl.LayerVariable;
  bias: tfl.LayerVariable;
  activation: { apply(x: tf.Tensor): tf.Tensor } | null;
}

type DepthwiseArgs = Parameters<typeof tfl.layers.depthwiseConv2d>[0];

/** tfjs-layers' DepthwiseConv2D class (the package exports only its factory). */
const DepthwiseConv2D = Object.getPrototypeOf(tfl.layers.depthwiseConv2d({ kernelSize: 1 })).constructor as
  & (new (args: DepthwiseArgs) => tfl.layers.Layer)
  & Omit<typeof tfl.layers.Layer, "prototype">;

/** depthwise(x, kernel) at dilation [rh, rw], "same" padding, stride 1, as a sum over the kernel's taps. */
export function atrousDepthwise(x: tf.Tensor4D, kernel: tf.Tensor4D, [rh, rw]: [number, number]): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, channels, multiplier] = kernel.shape;
    if (multiplier !== 1) throw new Error(`atrousDepthwise: depth multiplier ${multiplier}, only 1 is supported`);
    const [, h, w] = x.shape;
    /** "same" padding of a dilated kernel's `reach` pixels: half before, the rest after. */
    const same = (reach: number): [number, number] => [Math.floor(reach / 2), reach - Math.floor(reach / 2)];
    const padded = tf.pad(x, [[0, 0], same(rh * (kh - 1)), same(rw * (kw - 1)), [0, 0]]);
    const taps = tf.unstack(tf.reshape(kernel, [kh * kw, 1, 1, 1, channels]));
    const terms = taps.map((tap, t) => {
      const i = Math.floor(t / kw), j = t % kw;
      return tf.mul(tf.slice(padded, [0, i * rh, j * rw, 0], [-1, h, w, -1]), tap);
    });
    return tf.addN(terms) as tf.Tensor4D;
  });
}

export class AtrousDepthwiseConv2D extends DepthwiseConv2D {
  static className = "AtrousDepthwiseConv2D";

  constructor(args: DepthwiseArgs) {
    super(args);
    const fields = this as unknown as DepthwiseFields;
    if (fields.strides.some((s) => s !== 1) || fields.padding !== "same") {
      throw new Error(`${this.name}: AtrousDepthwiseConv2D supports stride 1 and "same" padding only`);
    }
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const f = this as unknown as DepthwiseFields;
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const kernel = f.depthwiseKernel.read() as tf.Tensor4D;
      // Outside a gradient tape the backend's own dilated kernel gives the same values several times faster; it has
      // no gradient, so training takes the sum of taps.
      let y: tf.Tensor = tf.engine().state.gradientDepth > 0
        ? atrousDepthwise(x, kernel, f.dilationRate)
        : tf.depthwiseConv2d(x, kernel, 1, "same", "NHWC", f.dilationRate);
      if (f.useBias) y = tf.add(y, f.bias.read());
      return f.activation ? f.activation.apply(y) : y;
    });
  }
}
tf.serialization.registerClass(AtrousDepthwiseConv2D);
