// Runs one of the SIMD pool's kernels on wasm-backend tensors in place: each thread's table of calls (built from
// the tensors' heap addresses) goes into a temporary heap buffer, the pool runs them, the buffer is freed.
import type { TensorInfo } from "@tensorflow/tfjs-core";
import type { WasmBackend } from "../wasm_ops.ts";
import { simdPool } from "./pool.ts";
import type { KernelName } from "./pool_control.ts";

/** Arguments per table row (kernels.wat's runTable). */
const ARGS = 13;

export interface PooledKernel {
  kernel: KernelName;
  /** Tensors the kernel reads. */
  inputs: TensorInfo[];
  /** The tensors it writes (an accumulating kernel adds into them: the caller zeroes them). */
  results: TensorInfo[];
  /**
   * Each thread's calls (up to thirteen i32 arguments; a kernel ignores those it does not take), given the byte
   * addresses of the inputs and of the results (in order).
   */
  calls: (thread: number, threads: number, at: { inputs: number[]; results: number[] }) => number[][];
}

/** Thread t's part [start, end) of `count` items split evenly, each part but the last a multiple of `multiple`. */
export function threadRange(t: number, threads: number, count: number, multiple = 1): [number, number] {
  const part = Math.ceil(count / threads / multiple) * multiple;
  return [Math.min(count, t * part), Math.min(count, (t + 1) * part)];
}

export function runPooled(backend: WasmBackend, k: PooledKernel): void {
  const pool = simdPool();
  const address = (t: TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset >>> 0;
  const at = { inputs: k.inputs.map(address), results: k.results.map(address) };
  const calls = Array.from({ length: pool.threads }, (_, t) => k.calls(t, pool.threads, at));
  const rows = calls.reduce((n, c) => n + c.length, 0);
  const table = backend.makeOutput([Math.max(1, rows * ARGS)], "int32");
  try {
    const tableAt = address(table);
    const i32 = new Int32Array(pool.memory.buffer);
    let row = 0;
    const tables = calls.map((threadCalls) => {
      const offset = tableAt + row * ARGS * 4;
      for (const call of threadCalls) i32.set(call, tableAt / 4 + ARGS * row++);
      return { offset, count: threadCalls.length };
    });
    pool.runTables(k.kernel, tables);
  } finally {
    backend.disposeData(table.dataId);
  }
}
