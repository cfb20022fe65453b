// Works around the cpu backend's ResizeBilinearGrad, which labels its [batch, height, width, depth] result with
// height and width swapped. A tiny probe detects the bug once; only then is the kernel wrapped to fix the shape.
import {
  findBackend,
  getKernel,
  type KernelBackend,
  registerKernel,
  type TensorInfo,
  unregisterKernel,
} from "@tensorflow/tfjs-core";

const KERNEL = "ResizeBilinearGrad";

interface CpuBackend extends KernelBackend {
  makeTensorInfo(shape: number[], dtype: "float32", values: Float32Array): TensorInfo;
}

/** True when the cpu kernel returns a non-square gradient with height and width swapped. */
export function cpuResizeBilinearGradSwapsShape(): boolean {
  const cpu = findBackend("cpu") as CpuBackend | null;
  const kernel = getKernel(KERNEL, "cpu");
  if (!cpu || !kernel) return false;
  const images = cpu.makeTensorInfo([1, 2, 3, 1], "float32", new Float32Array(6));
  const dy = cpu.makeTensorInfo([1, 4, 6, 1], "float32", new Float32Array(24).fill(1));
  const out = kernel.kernelFunc({
    inputs: { images, dy },
    attrs: { alignCorners: false, halfPixelCenters: false },
    backend: cpu,
  }) as TensorInfo;
  const swapped = out.shape[1] === 3 && out.shape[2] === 2;
  for (const t of [images, dy, out]) cpu.disposeData(t.dataId);
  return swapped;
}

let fixed = false;

/** Re-registers the cpu ResizeBilinearGrad with the images' shape when (and only when) the probe finds the bug. */
export function fixCpuResizeBilinearGrad(): boolean {
  if (fixed) return true;
  if (!cpuResizeBilinearGradSwapsShape()) return false;
  const original = getKernel(KERNEL, "cpu")!;
  unregisterKernel(KERNEL, "cpu");
  registerKernel({
    ...original,
    kernelFunc: (args) => {
      const out = original.kernelFunc(args) as TensorInfo;
      return { ...out, shape: [...(args.inputs.images as TensorInfo).shape] };
    },
  });
  fixed = true;
  return true;
}
