// Registers the wasm kernels training needs: the conv/depthwise gradients tfjs-wasm lacks, our fused ReLU6 gradient
// and softmax cross-entropy (and the MobileNetV3 encoder's hard-swish at inference), and faster replacements for stock
// kernels that dominate a training step (BatchMatMul, Conv2D, Conv2DBackpropInput, Slice, SplitV, Transpose, Tile,
// copying Identity, leading-axis Sum/Mean); first it starts the SIMD pool (lib/runtime/kernels/simd) on tfjs-wasm's
// heap. Also patches the cpu backend's ResizeBilinearGrad shape bug where present, and on webgpu (which gets none of
// the wasm kernels) the AddN that fails past 7 inputs.
import * as tf from "@tensorflow/tfjs-core";
import { getKernel, type KernelConfig, type KernelFunc, registerKernel, unregisterKernel } from "@tensorflow/tfjs-core";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { batchMatMulConfig } from "./batch_mat_mul.ts";
import { conv2dConfig } from "./conv2d.ts";
import { conv2dBackpropFilterConfig } from "./conv2d_backprop_filter.ts";
import { conv2dBackpropInputConfig } from "./conv2d_backprop_input.ts";
import { fixCpuResizeBilinearGrad } from "./cpu_resize_bilinear_grad.ts";
import { hardSwishConfig } from "./hard_swish.ts";
import { depthwiseBackpropFilterConfig } from "./depthwise_backprop_filter.ts";
import { depthwiseBackpropInputConfig } from "./depthwise_backprop_input.ts";
import { startSimdPool, type WasmHeap } from "./simd/pool.ts";
import { identityConfig } from "./identity.ts";
import { reduceLeadingConfig } from "./reduce_leading.ts";
import { relu6BackpropConfig } from "./relu6_backprop.ts";
import { softmaxCrossEntropyConfig } from "./softmax_cross_entropy.ts";
import { sliceConfig, splitVConfig } from "./slice.ts";
import { tileConfig } from "./tile.ts";
import { transposeConfig } from "./transpose.ts";
import { stockKernels } from "./wasm_ops.ts";
import { fixWebgpuAddN } from "./webgpu_add_n.ts";

/**
 * Kernels wasm does not have: tfjs' missing gradients, and our fused ReLU6 gradient, softmax cross-entropy and
 * hard-swish (inference).
 */
export const WASM_MISSING_KERNELS: KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  hardSwishConfig,
  relu6BackpropConfig,
  softmaxCrossEntropyConfig,
];

/**
 * Replacements, each given the stock kernel to fall back on for cases it does not speed up. Those built from
 * other kernels (`composite`) make composites call the stock kernel of their name, so none calls itself; the
 * others (plain heap copies) serve composites too.
 */
export const WASM_REPLACEMENTS: Record<string, { make: (stock: KernelFunc) => KernelConfig; composite: boolean }> = {
  BatchMatMul: { make: batchMatMulConfig, composite: true },
  Conv2D: { make: conv2dConfig, composite: true },
  Conv2DBackpropInput: { make: conv2dBackpropInputConfig, composite: true },
  Sum: { make: (stock) => reduceLeadingConfig("Sum", stock), composite: true },
  Mean: { make: (stock) => reduceLeadingConfig("Mean", stock), composite: true },
  Tile: { make: tileConfig, composite: false },
  Slice: { make: sliceConfig, composite: false },
  SplitV: { make: splitVConfig, composite: false },
  Transpose: { make: transposeConfig, composite: false },
  Identity: { make: () => identityConfig, composite: false },
};

/** The parts of tfjs-wasm's Emscripten module that give its heap. */
interface EmscriptenModule {
  wasmMemory?: WebAssembly.Memory;
  asm?: { memory?: WebAssembly.Memory };
  _malloc(bytes: number): number;
}

/** Every stock kernel we displaced, for restoreStockWasmKernels. */
const displaced = new Map<string, KernelConfig>();

function replace(config: KernelConfig): void {
  if (getKernel(config.kernelName, "wasm")) unregisterKernel(config.kernelName, "wasm");
  registerKernel(config);
}

/** Registers the missing and the faster wasm kernels (after registerTrainingKernels); calling it again is harmless. */
export function registerWasmTrainingKernels(options: { replacements?: boolean } = {}): void {
  WASM_MISSING_KERNELS.forEach(replace);
  if (options.replacements === false) return;
  for (const [name, { make, composite }] of Object.entries(WASM_REPLACEMENTS)) {
    if (!displaced.has(name)) {
      const stock = getKernel(name, "wasm");
      if (!stock) {
        throw new Error(`lib/runtime/kernels/mod.ts: the wasm backend has no stock ${name} kernel to replace`);
      }
      displaced.set(name, stock);
      if (composite) stockKernels.set(name, stock);
    }
    const stock = displaced.get(name)!;
    replace({ ...make(stock.kernelFunc), setupFunc: stock.setupFunc });
  }
}

/** Puts the stock wasm kernels back (tests use it to compare ours against them). */
export function restoreStockWasmKernels(): void {
  for (const stock of displaced.values()) replace(stock);
}

/** tfjs-wasm's memory (the threaded build's Module.wasmMemory, else the instance's export) and allocator. */
function wasmHeap(): WasmHeap {
  const module = (tf.backend() as unknown as { wasm: EmscriptenModule }).wasm;
  const memory = module.wasmMemory ?? module.asm?.memory;
  if (!memory) throw new Error("lib/runtime/kernels/mod.ts: tfjs-wasm's Emscripten module exposes no memory");
  return { memory, malloc: (bytes) => module._malloc(bytes) };
}

/**
 * Called by initBackend once a backend has started (the active one, `tf.getBackend()`); for wasm it first starts the
 * SIMD pool on as many threads.
 */
export async function registerTrainingKernels(): Promise<void> {
  const backend = tf.getBackend();
  if (backend === "wasm") {
    await startSimdPool(wasmHeap(), getThreadsCount());
    registerWasmTrainingKernels();
  }
  if (backend === "webgpu") fixWebgpuAddN();
  fixCpuResizeBilinearGrad();
}
