// Forward passes of a task's model in one Deno worker whose wasm backend runs T threads
// (tools/bench/threaded_forward_worker.ts): the train-step section's threaded forward and full-resolution inference
// timings, next to its threaded training step (a lone data-parallel replica, which only trains).
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import { currentBackend } from "../../lib/runtime/backend.ts";
import type { NdArray, TaskSpec } from "../../lib/train/train_task.ts";

/** One forward pass of `model` on `x` (inference mode) with every output read back, then disposed. */
export async function forwardAndRead(model: tfl.LayersModel, x: tf.Tensor): Promise<void> {
  const outputs = model.predict(x) as tf.Tensor | tf.Tensor[];
  const list = Array.isArray(outputs) ? outputs : [outputs];
  await Promise.all(list.map((t) => t.data()));
  tf.dispose(list);
}

export type ForwardRequest =
  | { type: "init"; spec: TaskSpec; backend: string; wasmThreads: number }
  | { type: "input"; name: string; input: NdArray<Float32Array> }
  | { type: "forward"; name: string };

export type ForwardReply = { type: "ok" } | { type: "error"; message: string };

/** The worker and its model replica; requests are answered one at a time, in order. */
export class ThreadedForward {
  private readonly worker = new Worker(new URL("./threaded_forward_worker.ts", import.meta.url), { type: "module" });
  private pending: { resolve: () => void; reject: (e: Error) => void } | null = null;

  private constructor() {
    this.worker.onmessage = (e: MessageEvent<ForwardReply>) => {
      const waiter = this.pending!;
      this.pending = null;
      if (e.data.type === "error") waiter.reject(new Error(`threaded forward worker: ${e.data.message}`));
      else waiter.resolve();
    };
    this.worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.pending?.reject(new Error(`threaded forward worker crashed: ${e.message}`));
      this.pending = null;
    };
  }

  /** Starts the worker with `wasmThreads` threads and builds the task's model there. */
  static async start(spec: TaskSpec, wasmThreads: number): Promise<ThreadedForward> {
    const forward = new ThreadedForward();
    const backend = currentBackend()?.name ?? Deno.env.get("PANOPTIC_BACKEND") ?? "";
    try {
      await forward.call({ type: "init", spec, backend, wasmThreads });
    } catch (e) {
      forward.dispose();
      throw e;
    }
    return forward;
  }

  /** Keeps `input` (NHWC) in the worker under `name`. */
  setInput(name: string, input: NdArray<Float32Array>): Promise<void> {
    return this.call({ type: "input", name, input });
  }

  /** One forward pass on the named input, its outputs read back. */
  forward(name: string): Promise<void> {
    return this.call({ type: "forward", name });
  }

  dispose(): void {
    this.worker.terminate();
  }

  private call(request: ForwardRequest): Promise<void> {
    if (this.pending) throw new Error("threaded forward worker: one request at a time");
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(request);
    });
  }
}
