// A convolution followed by batch norm in inference mode (frozen statistics, trained scale and offset) and an
// optional ReLU6, computed as ONE biased convolution with the batch norm folded into its kernel. Training then
// stores one activation instead of three and skips batch norm's full-size gradient (Tile, reductions).
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { relu6Backprop } from "../runtime/relu6_backprop.ts";

export type ConvKind = "conv" | "depthwise";

export interface FoldedConvBnArgs {
  name: string;
  kind: ConvKind;
  kernelSize: number;
  /** Output channels (ignored for depthwise, which keeps its input channels). */
  filters?: number;
  strides?: number;
  relu6: boolean;
  /** Name of the batch-norm weights in the source model, e.g. "block_1_expand_BN". */
  bnName: string;
  epsilon?: number;
  seed?: number;
  /**
   * The input needs no gradient (it is the network's image): the convolution and its bias then run as separate
   * ops, whose backward pass skips an unneeded input gradient; tfjs' fused convolution always computes it. Only
   * speed changes: the input gradient is still right when asked for.
   */
  constantInput?: boolean;
}

/** ReLU6 with its gradient computed from the output y (lib/runtime/relu6_backprop.ts). */
export const relu6 = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const y = tf.relu6(x);
  save([y]);
  return { value: y, gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => relu6Backprop(dy, saved) };
});

/**
 * relu6(conv(x, filter) + bias) as one fused op (the backend clamps as it writes), with the gradient taken from
 * the output: the ReLU6 mask on dy, then the convolution's own input and filter gradient kernels.
 */
function convBiasRelu6(kind: ConvKind, strides: number) {
  const depthwise = kind === "depthwise";
  const attrs = { strides, pad: "same", dataFormat: "NHWC", dilations: 1 };
  const run = (kernel: string, inputs: Record<string, tf.Tensor>, extra: Record<string, unknown> = {}) =>
    tf.engine().runKernel(kernel, inputs, { ...attrs, ...extra } as unknown as tf.NamedAttrMap) as tf.Tensor;
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, filter, bias, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D, tf.GradSaveFunc];
    // The kernel itself: tf.fused ops do not fuse an activation while a gradient is being recorded.
    const y = run(depthwise ? "FusedDepthwiseConv2D" : "FusedConv2D", { x, filter, bias }, { activation: "relu6" });
    save([x, filter, y]);
    const gradFunc = (dy: tf.Tensor, [x, filter, y]: tf.Tensor[]) => {
      const g = relu6Backprop(dy, y);
      const [input, weights] = depthwise
        ? ["DepthwiseConv2dNativeBackpropInput", "DepthwiseConv2dNativeBackpropFilter"]
        : ["Conv2DBackpropInput", "Conv2DBackpropFilter"];
      return [
        run(input, { dy: g, filter }, { inputShape: x.shape }),
        run(weights, { x, dy: g }, { filterShape: filter.shape }),
        tf.sum(g, [0, 1, 2]),
      ];
    };
    return { value: y, gradFunc };
  });
}

export class FoldedConvBn extends tfl.layers.Layer {
  static className = "FoldedConvBn";
  private kernel!: tfl.LayerVariable;
  private gamma!: tfl.LayerVariable;
  private beta!: tfl.LayerVariable;
  private movingMean!: tfl.LayerVariable;
  private movingVariance!: tfl.LayerVariable;

  constructor(readonly args: FoldedConvBnArgs) {
    super({ name: args.name });
  }

  private kernelName(): string {
    return this.args.kind === "depthwise" ? "depthwise_kernel" : "kernel";
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const cin = (inputShape as tfl.Shape)[3]!;
    const k = this.args.kernelSize;
    const cout = this.outChannels(cin);
    const shape = this.args.kind === "depthwise" ? [k, k, cin, 1] : [k, k, cin, cout];
    const glorot = tfl.initializers.glorotUniform({ seed: this.args.seed });
    this.kernel = this.addWeight(this.kernelName(), shape, "float32", glorot, undefined, true);
    this.gamma = this.addWeight("gamma", [cout], "float32", tfl.initializers.ones(), undefined, true);
    this.beta = this.addWeight("beta", [cout], "float32", tfl.initializers.zeros(), undefined, true);
    this.movingMean = this.addWeight("moving_mean", [cout], "float32", tfl.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight(
      "moving_variance",
      [cout],
      "float32",
      tfl.initializers.ones(),
      undefined,
      false,
    );
    this.built = true;
  }

  private outChannels(cin: number): number {
    return this.args.kind === "depthwise" ? cin : this.args.filters!;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const [n, h, w, cin] = inputShape as tfl.Shape;
    const s = this.args.strides ?? 1;
    return [n, h == null ? null : Math.ceil(h / s), w == null ? null : Math.ceil(w / s), this.outChannels(cin!)];
  }

  /** Where each weight comes from in the Keras MobileNetV2: this layer's name → the source model's name. */
  sourceNames(): Map<string, string> {
    const { name, bnName } = this.args;
    return new Map([
      [`${name}/${this.kernelName()}`, `${name}/${this.kernelName()}`],
      ...["gamma", "beta", "moving_mean", "moving_variance"].map((w) =>
        [`${name}/${w}`, `${bnName}/${w}`] as [string, string]
      ),
    ]);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const eps = this.args.epsilon ?? 1e-3;
      const scale = tf.mul(this.gamma.read(), tf.rsqrt(tf.add(this.movingVariance.read(), eps)));
      const shift = tf.sub(this.beta.read(), tf.mul(this.movingMean.read(), scale));
      const kernel = this.kernel.read();
      const strides = this.args.strides ?? 1;
      const depthwise = this.args.kind === "depthwise";
      const filter = tf.mul(kernel, depthwise ? tf.reshape(scale, [1, 1, -1, 1]) : scale) as tf.Tensor4D;
      if (!depthwise && this.args.constantInput) {
        const y = tf.add(tf.conv2d(x, filter, strides, "same"), shift);
        return this.args.relu6 ? relu6(y) : y;
      }
      if (this.args.relu6) return convBiasRelu6(this.args.kind, strides)(x, filter, shift);
      const plain = { x, filter, strides, pad: "same", bias: shift } as const;
      return depthwise ? tf.fused.depthwiseConv2d(plain) : tf.fused.conv2d(plain);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.args };
  }
}
tf.serialization.registerClass(FoldedConvBn);
