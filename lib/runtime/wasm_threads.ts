// tfjs-wasm's multithreaded build (XNNPACK over a pthread pool) in Deno. tfjs turns threads off under Node-like
// runtimes (tensorflow/tfjs#3830) and starts its pthreads from a Blob-URL script that worker_threads cannot load.
// startWasm runs them as node:worker_threads workers (lib/runtime/wasm_pthread_worker.ts), unreferenced once loaded so
// that idle pthreads never keep the process alive, and lets tfjs' thread cap (logical cores / 2: it assumes
// hyper-threading) allow the requested count.
import * as tf from "@tensorflow/tfjs-core";
import { getThreadsCount, setThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker as NodeWorker } from "node:worker_threads";

/** Emscripten's standalone glue and pthread script of the threaded SIMD build, next to the package's dist/. */
function threadedBuildFiles(wasmDir: string): { glue: string; workerScript: string } {
  const out = join(dirname(wasmDir), "wasm-out");
  return {
    glue: join(out, "tfjs-backend-wasm-threaded-simd.js"),
    workerScript: join(out, "tfjs-backend-wasm-threaded-simd.worker.js"),
  };
}

/** The part of node's Worker that Emscripten's pthread pool uses. */
function pthreadWorkerClass(files: { glue: string; workerScript: string }) {
  const script = fileURLToPath(new URL("./wasm_pthread_worker.ts", import.meta.url));
  return class PthreadWorker {
    #worker = new NodeWorker(script, { workerData: { workerScript: files.workerScript } });
    /** The glue sends itself as a Blob, which the worker cannot read synchronously: send the glue's file instead. */
    postMessage(message: { cmd?: string }, transfer?: readonly Transferable[]) {
      const sent = message?.cmd === "load" ? { ...message, urlOrBlob: files.glue } : message;
      this.#worker.postMessage(sent, transfer as never);
    }
    on(event: string, listener: (...args: unknown[]) => void) {
      this.#worker.on(event, listener);
    }
    /** Referenced until loaded (startup waits on it); the glue then unreferences it. */
    unref() {
      this.#worker.unref();
    }
    /** The glue references a worker while it runs a pthread, but pool threads wait for work forever. */
    ref() {}
    terminate() {
      return this.#worker.terminate();
    }
  };
}

/** Default thread count: every logical core. */
export function defaultWasmThreads(): number {
  return Math.max(1, navigator.hardwareConcurrency || 1);
}

/**
 * Starts the wasm backend with `threads` XNNPACK threads (default: as already running, else defaultWasmThreads()).
 * The count is fixed for the process once wasm has started: asking for another one is an error. `wasmDir` is the
 * folder of the package's .wasm binaries.
 */
export async function startWasm(threads: number | undefined, wasmDir: string): Promise<boolean> {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new Error(`wasm threads must be a positive integer, got ${threads}`);
  }
  if (tf.engine().registry["wasm"]) {
    const running = getThreadsCount();
    if (threads !== undefined && running !== threads) {
      throw new Error(`the wasm backend already runs ${running} thread(s); the count is fixed once it has started`);
    }
    return tf.setBackend("wasm");
  }
  threads ??= defaultWasmThreads();
  if (threads === 1) return tf.setBackend("wasm");
  const files = threadedBuildFiles(wasmDir);
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
  setThreadsCount(threads);
  const cpus = os.cpus;
  const worker = Object.getOwnPropertyDescriptor(globalThis, "Worker")!;
  const pthreadWorker = pthreadWorkerClass(files);
  // The glue reads its core count from os.cpus() and assigns node's Worker to the global it constructs.
  (os as { cpus: () => os.CpuInfo[] }).cpus = () => Array(2 * threads).fill(cpus()[0]);
  Object.defineProperty(globalThis, "Worker", { configurable: true, get: () => pthreadWorker, set: () => {} });
  try {
    if (!(await tf.setBackend("wasm"))) return false;
  } finally {
    (os as { cpus: () => os.CpuInfo[] }).cpus = cpus;
    Object.defineProperty(globalThis, "Worker", worker);
  }
  const started = getThreadsCount();
  if (started !== threads) throw new Error(`the wasm backend started ${started} thread(s), not ${threads}`);
  return true;
}
