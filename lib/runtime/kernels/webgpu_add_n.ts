// Works around tfjs-webgpu 4.22's AddN, which binds one storage buffer per input: past the device's
// maxStorageBuffersPerShaderStage − 1 inputs (7 on the default limits) its pipeline is invalid and the result is
// whatever the output buffer held, without an error (training's global gradient norm sums ~150 tensors). The
// replacement adds the inputs in groups that fit, then adds the group sums, as tfjs-webgpu's Concat already does.
import {
  getKernel,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type NamedTensorInfoMap,
  registerKernel,
  type TensorInfo,
  unregisterKernel,
} from "@tensorflow/tfjs-core";

const KERNEL = "AddN";

interface WebgpuBackend extends KernelBackend {
  device: { limits: { maxStorageBuffersPerShaderStage: number } };
}

/** AddN in groups of at most `maxStorageBuffersPerShaderStage − 1` inputs, each group by `stock`. */
export function groupedAddNConfig(stock: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const webgpu = backend as WebgpuBackend;
    // AddN's inputs are an array (tfjs-core's addN passes its tensor list as the input map).
    const add = (part: TensorInfo[]) => stock({ inputs: part as unknown as NamedTensorInfoMap, backend, attrs });
    const group = webgpu.device.limits.maxStorageBuffersPerShaderStage - 1;
    let tensors = Object.values(inputs) as TensorInfo[];
    const made: TensorInfo[] = [];
    while (tensors.length > group) {
      const sums: TensorInfo[] = [];
      for (let i = 0; i < tensors.length; i += group) {
        const part = tensors.slice(i, i + group);
        sums.push(part.length === 1 ? part[0] : add(part) as TensorInfo);
      }
      made.push(...sums.filter((s) => !tensors.includes(s)));
      tensors = sums;
    }
    const out = add(tensors) as TensorInfo;
    for (const t of made) webgpu.disposeData(t.dataId);
    return out;
  };
  return { kernelName: KERNEL, backendName: "webgpu", kernelFunc };
}

let fixed = false;

/** Replaces the webgpu AddN by groupedAddNConfig once (call after the webgpu backend has registered its kernels). */
export function fixWebgpuAddN(): void {
  if (fixed) return;
  const stock = getKernel(KERNEL, "webgpu");
  if (!stock) throw new Error("lib/runtime/kernels/webgpu_add_n.ts: the webgpu backend has no AddN kernel to replace");
  unregisterKernel(KERNEL, "webgpu");
  registerKernel(groupedAddNConfig(stock.kernelFunc));
  fixed = true;
}
