// The SIMD pool's control block (in the memory the kernels run on), shared by pool.ts and pool_worker.ts.

/** The register tile of kernels.wat's accumulate: rows of C (m) by columns (n). */
export const ACCUMULATE_TILE = { rows: 6, columns: 8 } as const;

/** Channels per block of kernels.wat's accumulateProducts (four vectors of four floats). */
export const PRODUCTS_BLOCK = 16;

/** n rounded up to a multiple of m (channel counts padded to a kernel's tile). */
export const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

/** The kernels of kernels.wat's runTable, by their number there. */
export const KERNELS = {
  accumulate: 0,
  accumulateProducts: 1,
  relu6Backprop: 2,
  softmaxCrossEntropy: 3,
  hardSwish: 4,
} as const;
export type KernelName = keyof typeof KERNELS;

/**
 * Int32 slots: the generation counter, the helpers still running, the kernel to run, then each helper's table
 * (byte offset, call count).
 */
export const CONTROL = {
  generation: 0,
  pending: 1,
  kernel: 2,
  tableOffset: (helper: number) => 3 + 2 * helper,
  tableCount: (helper: number) => 4 + 2 * helper,
  ints: 256,
} as const;

export interface PoolWorkerData {
  binary: Uint8Array<ArrayBuffer>;
  memory: WebAssembly.Memory;
  /** Byte offset of the control block in `memory`. */
  control: number;
  /** Helper index, from 0. */
  index: number;
}
