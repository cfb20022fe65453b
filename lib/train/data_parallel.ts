// Data-parallel training over Deno workers: each worker has its own tfjs backend and model replica; every step
// each computes gradients of its shard's summed loss, this thread adds them and divides by the batch's element
// count, and every worker applies the same averaged gradients with its own Adam, so replicas stay bit-identical.
import { backendForWorkers } from "../runtime/backend.ts";
import { LocalTrainer } from "./local_trainer.ts";
import {
  type AdamConfig,
  type ArrayBatch,
  loadTask,
  shardBatch,
  type StepOptions,
  type StepResult,
  type TaskSpec,
  type Trainer,
  type TrainState,
} from "./train_task.ts";
import type { WorkerReply, WorkerRequest } from "./data_parallel_worker.ts";
import { WorkerClient } from "../runtime/worker_rpc.ts";

/** A replica's worker. */
type Replica = WorkerClient<WorkerRequest, WorkerReply>;

function startReplica(index: number): Replica {
  return new WorkerClient(new URL("./data_parallel_worker.ts", import.meta.url), `data-parallel worker ${index}`);
}

export class DataParallelTrainer implements Trainer {
  private constructor(private readonly replicas: Replica[]) {}

  /**
   * Starts `workers` replicas of the task (wasm: `wasmThreads` each); all start from replica 0's initial weights. Each
   * replica takes its shard through forward/backward in micro-batches of `microBatch` images (gradients add up before
   * the Adam step).
   */
  static async create(
    spec: TaskSpec,
    adam: AdamConfig,
    workers: number,
    wasmThreads = 1,
    microBatch = Infinity,
  ): Promise<DataParallelTrainer> {
    const backend = backendForWorkers();
    const replicas = Array.from({ length: workers }, (_, i) => startReplica(i));
    const trainer = new DataParallelTrainer(replicas);
    try {
      await Promise.all(replicas.map((r) => r.call({ type: "init", spec, adam, backend, wasmThreads, microBatch })));
      await trainer.setWeights(await trainer.getWeights());
    } catch (e) {
      await trainer.dispose();
      throw e;
    }
    return trainer;
  }

  /** The batch's mean loss terms and its gradients (trainable weights' order), averaged over the workers' shards. */
  async gradients(batch: ArrayBatch): Promise<{ terms: Record<string, number>; grads: Float32Array[] }> {
    const shards = shardBatch(batch, this.replicas.length);
    const replies = await Promise.all(
      shards.map((shard, i) => this.replicas[i].call({ type: "gradients", shard }, buffersOf(shard))),
    ) as Extract<WorkerReply, { type: "gradients" }>[];
    const count = Math.max(1, replies.reduce((n, r) => n + r.count, 0));
    const grads = replies[0].grads;
    for (const r of replies.slice(1)) r.grads.forEach((g, k) => addInto(grads[k], g));
    for (const g of grads) scaleInto(g, 1 / count);
    const terms: Record<string, number> = {};
    for (const r of replies) for (const [k, v] of Object.entries(r.sums)) terms[k] = (terms[k] ?? 0) + v / count;
    return { terms, grads };
  }

  async step(batch: ArrayBatch, options: StepOptions = {}): Promise<StepResult> {
    if (this.replicas.length === 1) { // the gradients need not leave the worker
      const [shard] = shardBatch(batch, 1);
      const reply = await this.replicas[0].call({ type: "step", batch: shard, options }, buffersOf(shard));
      const { terms, gradNorm } = reply as Extract<WorkerReply, { type: "stepped" }>;
      return { terms, gradNorm };
    }
    const { terms, grads } = await this.gradients(batch);
    // Everyone gets the same arrays (structured-cloned), so every Adam update is the same.
    const replies = await Promise.all(this.replicas.map((r) => r.call({ type: "apply", grads, options })));
    return { terms, gradNorm: (replies[0] as Extract<WorkerReply, { type: "applied" }>).gradNorm };
  }

  /** Replica 0 writes the checkpoint (all replicas hold the same weights and optimizer state). */
  async save(dir: string, state: TrainState, keep: number): Promise<string> {
    return (await this.replicas[0].call({ type: "save", dir, state, keep }) as Extract<WorkerReply, { type: "saved" }>)
      .path;
  }

  /** Every replica loads the same checkpoint. */
  async restore(dir: string): Promise<TrainState | null> {
    const replies = await Promise.all(this.replicas.map((r) => r.call({ type: "restore", dir })));
    return (replies[0] as Extract<WorkerReply, { type: "restored" }>).state;
  }

  /** Replica 0's weights (all replicas hold the same ones). */
  async getWeights(): Promise<Float32Array[]> {
    return (await this.replicaWeights())[0];
  }

  /** Every replica's weights, to check they are identical. */
  async replicaWeights(): Promise<Float32Array[][]> {
    const replies = await Promise.all(this.replicas.map((r) => r.call({ type: "getWeights" })));
    return replies.map((r) => (r as Extract<WorkerReply, { type: "weights" }>).weights);
  }

  async setWeights(weights: Float32Array[]): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.call({ type: "setWeights", weights })));
  }

  dispose(): Promise<void> {
    for (const r of this.replicas) r.terminate();
    return Promise.resolve();
  }
}

/** A shard's arrays' buffers, to transfer (shards are copies). */
function buffersOf(shard: ArrayBatch): ArrayBuffer[] {
  return [shard.images.data.buffer, ...Object.values(shard.targets).map((t) => t.data.buffer)] as ArrayBuffer[];
}

function addInto(target: Float32Array, source: Float32Array): void {
  for (let i = 0; i < target.length; i++) target[i] += source[i];
}

function scaleInto(target: Float32Array, factor: number): void {
  for (let i = 0; i < target.length; i++) target[i] *= factor;
}

/**
 * workers ≤ 1: train in this thread; otherwise over that many workers, each with `wasmThreads` wasm threads. Either
 * way forward/backward passes take at most `microBatch` images.
 */
export async function createTrainer(
  spec: TaskSpec,
  adam: AdamConfig,
  workers: number,
  microBatch = Infinity,
  wasmThreads = 1,
): Promise<Trainer> {
  if (workers <= 1) return new LocalTrainer(await loadTask(spec), adam, microBatch);
  return await DataParallelTrainer.create(spec, adam, workers, wasmThreads, microBatch);
}
