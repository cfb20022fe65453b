// Test helpers for the gradient kernels: seeded random tensors, running one kernel on a chosen backend, and the
// relative error between two results.
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../../backend.ts";

/** Starts wasm with our kernels registered (the cpu backend stays available for references). */
export async function useWasm(): Promise<void> {
  await initBackend({ force: "wasm", log: () => {} });
}

/** Deterministic values in [-1, 1) from a small LCG, so failures reproduce. */
export function seeded(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

export interface KernelCall {
  kernel: string;
  /** Input name → [shape, values]. */
  inputs: Record<string, [number[], Float32Array]>;
  attrs: Record<string, unknown>;
}

/** Runs one kernel through the engine on `backend`, returns shape and values, and switches back to wasm. */
export async function runOn(backend: string, call: KernelCall): Promise<{ shape: number[]; values: Float32Array }> {
  await tf.setBackend(backend);
  try {
    const inputs: Record<string, tf.Tensor> = {};
    for (const [name, [shape, values]] of Object.entries(call.inputs)) inputs[name] = tf.tensor(values, shape);
    // deno-lint-ignore no-explicit-any
    const out = tf.engine().runKernel(call.kernel, inputs, call.attrs as any) as tf.Tensor;
    const result = { shape: out.shape, values: out.dataSync() as Float32Array };
    tf.dispose([out, ...Object.values(inputs)]);
    return result;
  } finally {
    await tf.setBackend("wasm");
  }
}

/** max |a - b| / max |b| (0 when both are all zero). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

export interface DepthwiseGeometry {
  x: number[]; // [n, h, w, c]
  filter: number[]; // [fh, fw, c, m]
  strides: [number, number];
  dilations: [number, number];
  pad: "same" | "valid" | [[number, number], [number, number], [number, number], [number, number]];
}

/** Direct loops over the depthwise convolution's definition: dx and dfilter for a given dy. */
export function depthwiseReferenceGrads(
  g: DepthwiseGeometry,
  x: Float32Array,
  filter: Float32Array,
  dy: Float32Array,
): { dx: Float32Array; dFilter: Float32Array; dyShape: number[] } {
  const info = tf.backend_util.computeConv2DInfo(
    g.x as [number, number, number, number],
    g.filter as [number, number, number, number],
    g.strides,
    g.dilations,
    g.pad,
    undefined,
    true,
  );
  const [n, h, w, c] = g.x;
  const [fh, fw, , m] = g.filter;
  const { outHeight: oh, outWidth: ow } = info;
  const dx = new Float32Array(x.length);
  const dFilter = new Float32Array(filter.length);
  for (let b = 0; b < n; b++) {
    for (let yr = 0; yr < oh; yr++) {
      for (let yc = 0; yc < ow; yc++) {
        for (let kh = 0; kh < fh; kh++) {
          const xr = yr * info.strideHeight + kh * info.dilationHeight - info.padInfo.top;
          if (xr < 0 || xr >= h) continue;
          for (let kw = 0; kw < fw; kw++) {
            const xc = yc * info.strideWidth + kw * info.dilationWidth - info.padInfo.left;
            if (xc < 0 || xc >= w) continue;
            for (let ch = 0; ch < c; ch++) {
              const xi = ((b * h + xr) * w + xc) * c + ch;
              for (let q = 0; q < m; q++) {
                const g = dy[((b * oh + yr) * ow + yc) * c * m + ch * m + q];
                const fi = ((kh * fw + kw) * c + ch) * m + q;
                dx[xi] += g * filter[fi];
                dFilter[fi] += g * x[xi];
              }
            }
          }
        }
      }
    }
  }
  return { dx, dFilter, dyShape: [n, oh, ow, c * m] };
}
