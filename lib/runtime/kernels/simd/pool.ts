// Our SIMD kernels (kernels.wat) instantiated on tfjs-wasm's own memory, so they read and write tensors in place,
// run by this thread and, on the threaded build (shared memory), `threads - 1` helper threads at once. A caller
// writes one table of kernel calls per thread and calls runTables, which returns when every thread is done.
// startSimdPool makes this thread's pool (the wasm kernels then use it synchronously); idle helpers wait on the
// memory and never keep the process alive.
import { fileURLToPath } from "node:url";
import { Worker as NodeWorker } from "node:worker_threads";
import { simdKernelsBinary } from "./module.ts";
import { CONTROL, type KernelName, KERNELS, type PoolWorkerData } from "./pool_control.ts";

/** A helper that has not finished its table after this long is reported as hung. */
const HELPER_TIMEOUT_MS = 120_000;

/** A table of calls of one kernel: `count` rows of thirteen i32 arguments from byte `offset` on. */
export interface CallTable {
  offset: number;
  count: number;
}

/** What the pool needs of tfjs-wasm's Emscripten module. */
export interface WasmHeap {
  memory: WebAssembly.Memory;
  malloc(bytes: number): number;
}

export class SimdPool {
  /** Over a shared buffer (a single-thread pool's unshared memory detaches its buffers when it grows). */
  private readonly control: Int32Array | undefined;
  private readonly runTable: (kernel: number, table: number, count: number) => void;

  private constructor(
    readonly memory: WebAssembly.Memory,
    instance: WebAssembly.Instance,
    controlAt: number,
    private readonly helpers: NodeWorker[],
  ) {
    this.control = helpers.length > 0 ? new Int32Array(memory.buffer, controlAt, CONTROL.ints) : undefined;
    this.runTable = instance.exports.runTable as (kernel: number, table: number, count: number) => void;
  }

  static async create(heap: WasmHeap, threads: number): Promise<SimdPool> {
    const most = Math.floor((CONTROL.ints - CONTROL.tableOffset(0)) / 2);
    if (!(Number.isInteger(threads) && threads >= 1 && threads <= most)) {
      throw new Error(
        `lib/runtime/kernels/simd/pool.ts: thread count must be an integer in 1..${most}, got ${threads}`,
      );
    }
    const shared = heap.memory.buffer instanceof SharedArrayBuffer;
    if (threads > 1 && !shared) {
      throw new Error(
        `lib/runtime/kernels/simd/pool.ts: ${threads} threads need a shared memory (tfjs-wasm's threaded build)`,
      );
    }
    const binary = await simdKernelsBinary(shared);
    const memory = heap.memory;
    const instance = await WebAssembly.instantiate(await WebAssembly.compile(binary), { env: { memory } });
    const control = heap.malloc(CONTROL.ints * 4) >>> 0;
    new Int32Array(memory.buffer, control, CONTROL.ints).fill(0);
    const script = fileURLToPath(new URL("./pool_worker.ts", import.meta.url));
    const helpers = Array.from({ length: threads - 1 }, (_, index) => {
      const workerData: PoolWorkerData = { binary, memory, control, index };
      return new NodeWorker(script, { workerData });
    });
    await Promise.all(helpers.map((helper, index) =>
      new Promise<void>((resolve, reject) => {
        helper.once("message", () => resolve());
        helper.once("error", (e) => reject(new Error(`SIMD pool helper ${index} failed to start: ${e}`)));
      })
    ));
    for (const helper of helpers) helper.unref();
    return new SimdPool(memory, instance, control, helpers);
  }

  get threads(): number {
    return this.helpers.length + 1;
  }

  /** Runs `kernel` over tables[0] on this thread and tables[1 + h] on helper h at once; returns when all are done. */
  runTables(kernel: KernelName, tables: CallTable[]): void {
    if (tables.length !== this.threads) {
      throw new Error(`lib/runtime/kernels/simd/pool.ts: ${tables.length} tables for ${this.threads} threads`);
    }
    const c = this.control;
    if (!c) return this.runTable(KERNELS[kernel], tables[0].offset, tables[0].count);
    c[CONTROL.kernel] = KERNELS[kernel];
    tables.slice(1).forEach((t, h) => {
      c[CONTROL.tableOffset(h)] = t.offset;
      c[CONTROL.tableCount(h)] = t.count;
    });
    Atomics.store(c, CONTROL.pending, this.helpers.length);
    Atomics.add(c, CONTROL.generation, 1);
    Atomics.notify(c, CONTROL.generation);
    this.runTable(KERNELS[kernel], tables[0].offset, tables[0].count);
    const deadline = performance.now() + HELPER_TIMEOUT_MS;
    for (let left = Atomics.load(c, CONTROL.pending); left !== 0; left = Atomics.load(c, CONTROL.pending)) {
      if (performance.now() > deadline) {
        throw new Error(
          `lib/runtime/kernels/simd/pool.ts: ${left} helper thread(s) did not finish in ${HELPER_TIMEOUT_MS} ms`,
        );
      }
      Atomics.wait(c, CONTROL.pending, left, 1000);
    }
  }
}

let starting: Promise<SimdPool> | undefined;
let ready: SimdPool | undefined;

/** Starts this thread's pool on tfjs-wasm's heap with `threads` threads (once; later calls must agree). */
export async function startSimdPool(heap: WasmHeap, threads: number): Promise<SimdPool> {
  starting ??= SimdPool.create(heap, threads);
  ready = await starting;
  if (ready.memory !== heap.memory) {
    throw new Error("lib/runtime/kernels/simd/pool.ts: the SIMD pool runs on another heap");
  }
  if (ready.threads !== threads) {
    throw new Error(
      `lib/runtime/kernels/simd/pool.ts: the SIMD pool already runs ${ready.threads} thread(s), not ${threads}`,
    );
  }
  return ready;
}

/** This thread's pool; startSimdPool must have finished. */
export function simdPool(): SimdPool {
  if (!ready) {
    throw new Error("lib/runtime/kernels/simd/pool.ts: the SIMD pool is not started (initBackend starts it for wasm)");
  }
  return ready;
}
