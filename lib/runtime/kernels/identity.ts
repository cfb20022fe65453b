// Identity for the wasm backend without a copy: the engine clones every tensor it saves for a gradient, and the
// stock wasm Identity copies the whole buffer (the cpu and webgl backends share it, as wasm's own Reshape does).
// Tensor buffers are never written after creation, so sharing is safe; the backend's reference count frees it.
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";

interface RefCountingBackend {
  incRef(dataId: object): void;
}

export const identityConfig: KernelConfig = {
  kernelName: "Identity",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs.x as TensorInfo;
    (backend as unknown as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  },
};
