// Registers the gradient kernels that tfjs backends lack, for the backend that was chosen.
import type { BackendName } from "../backend.ts";

/** Called by initBackend once a backend has started. */
export function registerTrainingKernels(_backend: BackendName): void {
  // Filled in by the wasm training-kernel work (lib/kernels/*).
}
