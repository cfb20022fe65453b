// Forward passes of a task's model in one Deno worker whose wasm backend runs T threads
// (tools/bench/threaded_forward_worker.ts): the train-step section's threaded forward and full-resolution inference
// timings, next to its threaded training step (a lone data-parallel replica, which only trains).
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import { backendForWorkers } from "../../lib/runtime/backend.ts";
import type { NdArray, TaskSpec } from "../../lib/train/train_task.ts";
import { WorkerClient } from "../../lib/runtime/worker_rpc.ts";

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

export type ForwardReply = { type: "ok" };

/** The worker and its model replica; requests are answered one at a time, in order. */
export class ThreadedForward {
  private readonly worker = new WorkerClient<ForwardRequest, ForwardReply>(
    new URL("./threaded_forward_worker.ts", import.meta.url),
    "threaded forward worker",
  );

  private constructor() {}

  /** Starts the worker with `wasmThreads` threads and builds the task's model there. */
  static async start(spec: TaskSpec, wasmThreads: number): Promise<ThreadedForward> {
    const forward = new ThreadedForward();
    const backend = backendForWorkers();
    try {
      await forward.worker.call({ type: "init", spec, backend, wasmThreads });
    } catch (e) {
      forward.dispose();
      throw e;
    }
    return forward;
  }

  /** Keeps `input` (NHWC) in the worker under `name`. */
  async setInput(name: string, input: NdArray<Float32Array>): Promise<void> {
    await this.worker.call({ type: "input", name, input });
  }

  /** One forward pass on the named input, its outputs read back. */
  async forward(name: string): Promise<void> {
    await this.worker.call({ type: "forward", name });
  }

  dispose(): void {
    this.worker.terminate();
  }
}
