// Times the project's wasm training kernels against the stock tfjs-wasm kernels they replace, at shapes of a
// 256x512 batch-4 training step (MobileNetV2 encoder layers, and the 3x3 160 → 128 convolution of the light decoder
// the train-step bench once timed). Kernels wasm lacks are timed next to the forward op of the same layer as a
// yardstick. Usage: deno run -A tools/bench/kernels.ts [--runs 3]
import * as tf from "@tensorflow/tfjs-core";
import { parseArgs } from "node:util";
import { initBackend } from "../../lib/runtime/backend.ts";
import { registerWasmTrainingKernels, restoreStockWasmKernels } from "../../lib/runtime/kernels/mod.ts";

interface Case {
  name: string;
  /** Fresh inputs for each run (XNNPACK caches work per input tensor). */
  inputs: () => tf.Tensor[];
  run: (inputs: tf.Tensor[]) => tf.Tensor;
  /** "stock": compare with the stock kernel; otherwise a forward op to show beside ours. */
  baseline: "stock" | ((inputs: tf.Tensor[]) => tf.Tensor);
}

const kernel = (name: string, attrs: Record<string, unknown>, names: string[]) => (xs: tf.Tensor[]) =>
  // deno-lint-ignore no-explicit-any
  tf.engine().runKernel(name, Object.fromEntries(names.map((n, i) => [n, xs[i]])), attrs as any) as tf.Tensor;
const random = (...shapes: number[][]) => () => shapes.map((s) => tf.randomNormal(s));
const conv = (x: tf.Tensor, f: tf.Tensor, s: number) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, s as 1, "same");

function convFilter(x: number[], k: number, cout: number, s: number): Case {
  const dy = [x[0], x[1] / s, x[2] / s, cout];
  return {
    name: `Conv2DBackpropFilter ${k}x${k}/${s} x[${x}] -> ${cout}`,
    inputs: random(x, dy, [k, k, x[3], cout]),
    run: kernel("Conv2DBackpropFilter", {
      strides: s,
      pad: "same",
      dataFormat: "NHWC",
      filterShape: [k, k, x[3], cout],
    }, [
      "x",
      "dy",
    ]),
    baseline: ([x, , f]) => conv(x, f, s),
  };
}

function convInput(x: number[], k: number, cout: number, s: number): Case {
  const dy = [x[0], x[1] / s, x[2] / s, cout];
  return {
    name: `Conv2DBackpropInput ${k}x${k}/${s} dy[${dy}] -> ${x[3]}`,
    inputs: random(dy, [k, k, x[3], cout]),
    run: kernel("Conv2DBackpropInput", { strides: s, pad: "same", dataFormat: "NHWC", inputShape: x }, [
      "dy",
      "filter",
    ]),
    baseline: "stock",
  };
}

function depthwise(which: "Filter" | "Input", x: number[], s: number): Case {
  const dy = [x[0], x[1] / s, x[2] / s, x[3]];
  const attrs = { strides: s, pad: "same", dilations: 1 };
  return {
    name: `DepthwiseConv2dNativeBackprop${which} 3x3/${s} x[${x}]`,
    inputs: random(x, dy, [3, 3, x[3], 1]),
    run: which === "Filter"
      ? ([x, dy]) =>
        kernel(`DepthwiseConv2dNativeBackpropFilter`, { ...attrs, filterShape: [3, 3, x.shape[3], 1] }, ["x", "dy"])([
          x,
          dy,
        ])
      : ([, dy, f]) =>
        kernel(`DepthwiseConv2dNativeBackpropInput`, { ...attrs, inputShape: x }, ["dy", "filter"])([dy, f]),
    baseline: ([x, , f]) => tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, s as 1, "same"),
  };
}

const CASES: Case[] = [
  convFilter([4, 128, 256, 16], 1, 96, 1),
  convFilter([4, 64, 128, 144], 1, 24, 1),
  convFilter([4, 64, 128, 160], 3, 128, 1),
  convFilter([4, 256, 512, 3], 3, 32, 2),
  convInput([4, 128, 256, 16], 1, 96, 1),
  convInput([4, 64, 128, 160], 3, 128, 1),
  convInput([4, 256, 512, 3], 3, 32, 2),
  depthwise("Filter", [4, 128, 256, 32], 1),
  depthwise("Filter", [4, 128, 256, 96], 2),
  depthwise("Filter", [4, 64, 128, 144], 1),
  depthwise("Input", [4, 128, 256, 32], 1),
  depthwise("Input", [4, 128, 256, 96], 2),
  depthwise("Input", [4, 64, 128, 144], 1),
  {
    name: "BatchMatMul transposeA [131072x16]^T [131072x96]",
    inputs: random([131072, 16], [131072, 96]),
    run: ([a, b]) => tf.matMul(a, b, true, false),
    baseline: "stock",
  },
  {
    name: "BatchMatMul [16x131072] [131072x96]",
    inputs: random([16, 131072], [131072, 96]),
    run: ([a, b]) => tf.matMul(a, b),
    baseline: "stock",
  },
  {
    name: "Tile [1,1,1,96] -> [4,128,256,96]",
    inputs: random([1, 1, 1, 96]),
    run: ([x]) => tf.tile(x, [4, 128, 256, 1]),
    baseline: "stock",
  },
  {
    name: "Sum [4,128,256,96] over N,H,W",
    inputs: random([4, 128, 256, 96]),
    run: ([x]) => tf.sum(x, [0, 1, 2]),
    baseline: "stock",
  },
  {
    name: "Slice [4,130,258,96] -> [4,128,256,96]",
    inputs: random([4, 130, 258, 96]),
    run: ([x]) => tf.slice(x, [0, 1, 1, 0], [4, 128, 256, 96]),
    baseline: "stock",
  },
  {
    name: "Transpose [131072x96]",
    inputs: random([131072, 96]),
    run: ([x]) => tf.transpose(x),
    baseline: "stock",
  },
  {
    name: "Identity [4,128,256,96]",
    inputs: random([4, 128, 256, 96]),
    run: ([x]) => tf.clone(x),
    baseline: "stock",
  },
];

function minMs(c: Case, f: (xs: tf.Tensor[]) => tf.Tensor, runs: number): number {
  let best = Infinity;
  for (let i = 0; i <= runs; i++) { // the first run warms up
    const xs = c.inputs();
    const start = performance.now();
    const out = f(xs); // wasm kernels run synchronously: no read-back needed (it would add a copy of the output)
    if (i > 0) best = Math.min(best, performance.now() - start);
    tf.dispose([out, ...xs]);
  }
  return best;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
  const runs = Number(values.runs);
  if (!(runs >= 1)) throw new Error(`tools/bench/kernels.ts: --runs must be a positive number, got ${values.runs}`);
  await initBackend({ force: "wasm" });
  console.log(`minimum of ${runs} runs after one warm-up, fresh random inputs per run, no read-back; ms`);
  console.log(`${"kernel".padEnd(62)} ${"ours".padStart(8)} ${"stock".padStart(8)} ${"forward".padStart(8)}`);
  for (const c of CASES) {
    registerWasmTrainingKernels();
    const ours = minMs(c, c.run, runs);
    let stock = "", forward = "";
    if (c.baseline === "stock") {
      restoreStockWasmKernels();
      stock = minMs(c, c.run, runs).toFixed(1);
      registerWasmTrainingKernels();
    } else {
      forward = minMs(c, c.baseline, runs).toFixed(1);
    }
    console.log(`${c.name.padEnd(62)} ${ours.toFixed(1).padStart(8)} ${stock.padStart(8)} ${forward.padStart(8)}`);
  }
}
