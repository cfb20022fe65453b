// Registers the gradient kernels that tfjs backends lack (wasm: conv and depthwise filter/input gradients) and
// patches the cpu backend's ResizeBilinearGrad shape bug where present.
import { getKernel, type KernelConfig, registerKernel, unregisterKernel } from "@tensorflow/tfjs-core";
import type { BackendName } from "../backend.ts";
import { conv2dBackpropFilterConfig } from "./conv2d_backprop_filter.ts";
import { fixCpuResizeBilinearGrad } from "./cpu_resize_bilinear_grad.ts";
import { depthwiseBackpropFilterConfig } from "./depthwise_backprop_filter.ts";
import { depthwiseBackpropInputConfig } from "./depthwise_backprop_input.ts";

export const WASM_TRAINING_KERNELS: KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
];

/** Registers our wasm kernels, replacing any earlier registration of the same name (idempotent). */
export function registerWasmTrainingKernels(): void {
  for (const config of WASM_TRAINING_KERNELS) {
    if (getKernel(config.kernelName, config.backendName)?.kernelFunc === config.kernelFunc) continue;
    if (getKernel(config.kernelName, config.backendName)) unregisterKernel(config.kernelName, config.backendName);
    registerKernel(config);
  }
}

/** Called by initBackend once a backend has started. */
export function registerTrainingKernels(backend: BackendName): void {
  if (backend === "wasm") registerWasmTrainingKernels();
  fixCpuResizeBilinearGrad();
}
