// The custom layers of the MobileNetV3 encoder (hard-swish, squeeze-and-excite, the [-1, 1] → [0, 255] input
// scaling), registered with tfjs-layers so a saved model naming them loads. Apart from the encoder's builder
// (lib/model/mobilenet_v3.ts), which reaches the file system for its COCO weights, so the inference path and the
// browser bundle can register them without it.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { hardSwishInference } from "../runtime/hard_swish.ts";
import { relu6Backprop } from "../runtime/relu6_backprop.ts";
import { relu6 } from "./folded_conv_bn.ts";

/**
 * The 1/6 of hard-swish and hard-sigmoid as the graph has it: stored as float16 (0.1666259765625), 2.4e-4 below
 * 1/6. With the exact 1/6 the taps drift from the graph's by 1e-3 (stride 4) to 8e-3 (stride 32) relative.
 */
export const HARD_SCALE = 0.1666259765625;

/**
 * hard_swish(x) = x · relu6(x + 3) · HARD_SCALE, with its gradient (relu6(x + 3) + x · [0 < relu6(x + 3) < 6]) ·
 * HARD_SCALE taken from x and r = relu6(x + 3) through our ReLU6-mask kernel.
 */
export const hardSwish = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const r = tf.relu6(tf.add(x, 3));
  save([x, r]);
  return {
    value: tf.mul(x, tf.mul(r, HARD_SCALE)),
    gradFunc: (dy: tf.Tensor, [x, r]: tf.Tensor[]) => {
      const scaled = tf.mul(dy, HARD_SCALE);
      return tf.add(tf.mul(scaled, r), relu6Backprop(tf.mul(scaled, x), r));
    },
  };
});

export class HardSwish extends tfl.layers.Layer {
  static className = "HardSwish";
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    // The same values either way; outside a gradient tape as one kernel where the backend has it.
    return tf.engine().state.gradientDepth > 0 ? hardSwish(x) : hardSwishInference(x, HARD_SCALE);
  }
}
tf.serialization.registerClass(HardSwish);

/**
 * Squeeze-and-excite as in the graph: x · hard_sigmoid(W2 · relu(W1 · mean(x) + b1) + b2), hard_sigmoid(z) =
 * relu6(z + 3) · HARD_SCALE. Weights keep the graph's 1x1-convolution shapes and names (Conv/weights,
 * Conv_1/biases, …).
 */
export class SqueezeExcite extends tfl.layers.Layer {
  static className = "SqueezeExcite";
  private weightsOf: tfl.LayerVariable[] = [];

  constructor(readonly args: { name: string; squeeze: number; seed?: number }) {
    super({ name: args.name });
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const c = (inputShape as tfl.Shape)[3]!;
    const r = this.args.squeeze;
    const { seed } = this.args;
    const init = (i: number) =>
      tfl.initializers.glorotUniform({ seed: seed === undefined ? undefined : seed * 10 + i });
    this.weightsOf = [
      this.addWeight("Conv/weights", [1, 1, c, r], "float32", init(0)),
      this.addWeight("Conv/biases", [r], "float32", tfl.initializers.zeros()),
      this.addWeight("Conv_1/weights", [1, 1, r, c], "float32", init(1)),
      this.addWeight("Conv_1/biases", [c], "float32", tfl.initializers.zeros()),
    ];
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const [w1, b1, w2, b2] = this.weightsOf.map((w) => w.read());
      const [n, , , c] = x.shape;
      const pooled = tf.mean(x, [1, 2]) as tf.Tensor2D;
      const squeezed = tf.relu(tf.add(tf.matMul(pooled, tf.reshape(w1, [c, -1]) as tf.Tensor2D), b1));
      const excited = tf.add(tf.matMul(squeezed as tf.Tensor2D, tf.reshape(w2, [-1, c]) as tf.Tensor2D), b2);
      const gate = tf.mul(relu6(tf.add(excited, 3)), HARD_SCALE);
      return tf.mul(x, tf.reshape(gate, [n, 1, 1, c]));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.args };
  }
}
tf.serialization.registerClass(SqueezeExcite);

/** Scales [-1, 1] inputs to [0, 255]. */
export class ToPixels extends tfl.layers.Layer {
  static className = "ToPixels";
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.mul(tf.add(Array.isArray(inputs) ? inputs[0] : inputs, 1), 127.5));
  }
}
tf.serialization.registerClass(ToPixels);
