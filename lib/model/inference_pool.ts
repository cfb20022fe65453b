// What runs the network on frames for the evaluation and prediction loops: the model on this thread, one frame at a
// time, or a pool of Deno workers (lib/model/inference_worker.ts), each with its own tfjs backend and copy of the
// model, that work on several frames at once. On the wasm backend two single-thread workers get through frames
// faster than one network on two threads: XNNPACK's convolutions use the threads, but tfjs-wasm's other kernels
// (resizes, concatenations, element-wise ops) and the JavaScript around the network run on one.
import type * as tfl from "@tensorflow/tfjs-layers";
import { backendForWorkers, currentBackend } from "../runtime/backend.ts";
import { SerialQueue } from "../runtime/serial_queue.ts";
import { WorkerClient } from "../runtime/worker_rpc.ts";
import { LABEL_SETS } from "../data/labels/descriptor.ts";
import { type Heads, type InferenceOptions, predictHeads } from "./inference.ts";
import type { InferenceReply, InferenceRequest } from "./inference_worker.ts";

/** A frame's heads and the seconds the network took on it (waiting for a free worker excluded). */
export interface TimedHeads {
  heads: Heads;
  seconds: number;
}

export interface HeadsRunner {
  /** Frames it works on at once; more requests than this wait their turn. */
  readonly parallel: number;
  /** Whether it runs the network on this thread, blocking it meanwhile. */
  readonly onThisThread: boolean;
  /** The heads of an RGB frame (uint8, H*W*3), as predictHeads computes them. */
  heads(rgb: Uint8Array, height: number, width: number, options?: InferenceOptions): Promise<TimedHeads>;
  /** Ends the workers, if any. */
  close(): void;
}

const secondsSince = (start: number) => (performance.now() - start) / 1000;

/** The model on this thread, one frame at a time (in the order asked). */
export function modelRunner(model: tfl.LayersModel): HeadsRunner {
  const queue = new SerialQueue();
  return {
    parallel: 1,
    onThisThread: true,
    heads: (rgb, height, width, options) =>
      queue.run(async () => {
        const start = performance.now();
        return { heads: await predictHeads(model, rgb, height, width, options), seconds: secondsSince(start) };
      }),
    close() {},
  };
}

/** `model` as a runner: a runner is used as it is, a model runs on this thread (modelRunner). */
export function asRunner(model: tfl.LayersModel | HeadsRunner): HeadsRunner {
  return "parallel" in model ? model : modelRunner(model);
}

/**
 * The workers an evaluation or prediction of `frames` frames uses by default: 2 on the wasm backend with two cores
 * or more and at least 4 frames (fewer do not repay the workers' start, about a second), else 1 (this thread: the
 * GPU backends run the network on the device, the CPU backend is too slow to matter).
 */
export function defaultInferenceWorkers(frames: number): number {
  const cores = navigator.hardwareConcurrency || 1;
  return currentBackend()?.name === "wasm" && cores >= 2 && frames >= 4 ? 2 : 1;
}

/**
 * The runner for `frames` frames: `workers` (default defaultInferenceWorkers) above 1, an InferencePool of them on the
 * model folder `modelDir`; else `model` on this thread. Its `parallel` says how many workers it has.
 */
export async function startRunner(
  model: tfl.LayersModel,
  modelDir: string,
  { frames, workers }: { frames: number; workers?: number },
): Promise<HeadsRunner> {
  const count = workers ?? defaultInferenceWorkers(frames);
  return count > 1 ? await InferencePool.start(modelDir, count) : modelRunner(model);
}

/** Deno workers, each loading the model of `modelDir` on its own wasm backend; a frame goes to the least busy one. */
export class InferencePool implements HeadsRunner {
  readonly onThisThread = false;
  private readonly busy: number[];

  private constructor(private readonly workers: WorkerClient<InferenceRequest, InferenceReply>[]) {
    this.busy = workers.map(() => 0);
  }

  get parallel(): number {
    return this.workers.length;
  }

  /**
   * Starts `workers` workers with `wasmThreads` wasm threads each (default: the cores shared out among them, at least
   * one) on this thread's backend, each loading the model folder `modelDir` (as loadPanopticModel takes it).
   */
  static async start(modelDir: string, workers: number, wasmThreads?: number): Promise<InferencePool> {
    if (!(Number.isInteger(workers) && workers >= 1)) {
      throw new Error(`workers must be a positive integer, got ${workers}`);
    }
    const threads = wasmThreads ?? Math.max(1, Math.floor((navigator.hardwareConcurrency || 1) / workers));
    const backend = backendForWorkers();
    const pool = new InferencePool(
      Array.from(
        { length: workers },
        (_, i) => new WorkerClient(new URL("./inference_worker.ts", import.meta.url), `inference worker ${i}`),
      ),
    );
    try {
      await Promise.all(pool.workers.map((w) => w.call({ type: "init", modelDir, backend, wasmThreads: threads })));
    } catch (e) {
      pool.close();
      throw e;
    }
    return pool;
  }

  async heads(rgb: Uint8Array, height: number, width: number, options: InferenceOptions = {}): Promise<TimedHeads> {
    const k = this.busy.indexOf(Math.min(...this.busy));
    this.busy[k]++;
    try {
      const reply = await this.workers[k].call({ type: "heads", rgb, height, width, options });
      if (reply.type !== "heads") throw new Error(`inference worker ${k}: unexpected reply ${reply.type}`);
      const { heads, seconds } = reply;
      return {
        heads: { ...heads, full: heads.full && { ...heads.full, labels: LABEL_SETS[heads.full.labels] } },
        seconds,
      };
    } finally {
      this.busy[k]--;
    }
  }

  close(): void {
    for (const w of this.workers) w.terminate();
  }
}
