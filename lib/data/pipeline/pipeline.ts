// Training/validation input pipeline: seeded per-epoch shuffle → decode + augment + targets in Deno workers →
// ordered batches, prefetched so the model never waits. Also measures its throughput for `deno task bench`.

import { deriveSeed } from "./random.ts";
import { batch, fromIterable, map, prefetch, shuffle } from "./iterators.ts";
import { type Batch, collate, type PrepareConfig, type PreparedSample, prepareSample } from "./prepare.ts";
import { type DatasetSource, type FrameSource, openSource } from "../datasets/sources.ts";

/** Messages to a pipeline worker. */
export type WorkerRequest =
  | { type: "init"; source: DatasetSource; config: PrepareConfig }
  | { type: "prepare"; id: number; name: string; seed: number };

/** Replies from a pipeline worker. */
export type WorkerReply = { id: number; prepared: PreparedSample } | { id: number; error: string };

/** Prepares frames by name, either in `workers` Deno workers or (workers = 0) on the calling thread. */
export interface SamplePreparer {
  prepare(name: string, seed: number): Promise<PreparedSample>;
  close(): void;
}

class InProcessPreparer implements SamplePreparer {
  #source: Promise<FrameSource>;
  constructor(source: DatasetSource, private config: PrepareConfig) {
    this.#source = openSource(source);
  }
  async prepare(name: string, seed: number): Promise<PreparedSample> {
    return prepareSample(await (await this.#source).read(name), this.config, seed);
  }
  close(): void {}
}

let liveWorkers = 0;

/** Number of pipeline workers currently running (for diagnostics and tests). */
export function livePipelineWorkers(): number {
  return liveWorkers;
}

class WorkerPreparer implements SamplePreparer {
  #workers: Worker[] = [];
  #load: number[] = [];
  #pending = new Map<number, { worker: number; resolve: (p: PreparedSample) => void; reject: (e: Error) => void }>();
  #nextId = 0;

  constructor(source: DatasetSource, config: PrepareConfig, count: number) {
    for (let w = 0; w < count; w++) {
      const worker = new Worker(new URL("./pipeline_worker.ts", import.meta.url), { type: "module" });
      worker.onmessage = (e: MessageEvent<WorkerReply>) => this.#settle(e.data);
      worker.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        this.#failWorker(w, new Error(`pipeline worker ${w} crashed: ${e.message}`));
      };
      worker.postMessage({ type: "init", source, config } satisfies WorkerRequest);
      this.#workers.push(worker);
      this.#load.push(0);
      liveWorkers++;
    }
  }

  prepare(name: string, seed: number): Promise<PreparedSample> {
    const w = this.#load.indexOf(Math.min(...this.#load));
    const id = this.#nextId++;
    this.#load[w]++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { worker: w, resolve, reject });
      this.#workers[w].postMessage({ type: "prepare", id, name, seed } satisfies WorkerRequest);
    });
  }

  #settle(reply: WorkerReply): void {
    const p = this.#pending.get(reply.id);
    if (!p) return;
    this.#pending.delete(reply.id);
    this.#load[p.worker]--;
    if ("error" in reply) p.reject(new Error(reply.error));
    else p.resolve(reply.prepared);
  }

  #failWorker(w: number, error: Error): void {
    for (const [id, p] of this.#pending) {
      if (p.worker !== w) continue;
      this.#pending.delete(id);
      p.reject(error);
    }
    this.#load[w] = Number.POSITIVE_INFINITY; // never schedule on a crashed worker again
  }

  close(): void {
    for (const worker of this.#workers) worker.terminate();
    liveWorkers -= this.#workers.length;
    this.#workers = [];
    for (const p of this.#pending.values()) p.reject(new Error("pipeline closed"));
    this.#pending.clear();
  }
}

/** Opens a preparer: `workers` ≥ 1 runs decoding and augmentation off the calling thread. */
export function createPreparer(source: DatasetSource, config: PrepareConfig, workers: number): SamplePreparer {
  return workers > 0 ? new WorkerPreparer(source, config, workers) : new InProcessPreparer(source, config);
}

export interface PipelineOptions {
  source: DatasetSource;
  /** Frames to use (default: all of the source, in its order). */
  names?: readonly string[];
  batchSize: number;
  config: PrepareConfig;
  /** Base seed: epoch e's order uses deriveSeed(seed, e); sample k of epoch e augments with a derived seed. */
  seed: number;
  /** Number of Deno workers (0 = prepare on the calling thread). Default 2. */
  workers?: number;
  /** Epochs to run (default: unbounded). */
  epochs?: number;
  /** Shuffle each epoch (default true). */
  shuffle?: boolean;
  /** Drop a last incomplete batch at the end of the stream (default: true when shuffling). Batches span epochs. */
  dropRemainder?: boolean;
  /** Batches prepared ahead of the consumer (default 2). */
  prefetchBatches?: number;
  /** Start the stream after this many samples (without preparing them): a resumed run continues where it was. */
  skipSamples?: number;
}

/** Yields (epoch, position-in-epoch, name) for every frame of every epoch. */
async function* epochOrder(names: readonly string[], options: PipelineOptions) {
  const epochs = options.epochs ?? Number.POSITIVE_INFINITY;
  let skip = options.skipSamples ?? 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = options.shuffle ?? true ? shuffle(names, deriveSeed(options.seed, epoch)) : fromIterable(names);
    let k = 0;
    for await (const name of order) {
      const seed = deriveSeed(deriveSeed(options.seed, epoch), k++);
      if (skip > 0) skip--;
      else yield { epoch, seed, name };
    }
  }
}

/**
 * The batch stream: reproducible for a given seed (order and augmentation), independent of the worker count.
 * Workers are terminated when the consumer stops iterating (break/return) or the stream ends.
 */
export async function* batches(options: PipelineOptions): AsyncGenerator<Batch> {
  const workers = options.workers ?? 2;
  const preparer = createPreparer(options.source, options.config, workers);
  try {
    const names = options.names ?? (await openSource(options.source)).names;
    if (names.length === 0) throw new Error("pipeline: the dataset source has no frames");
    const perEpoch = batch(
      map(epochOrder(names, options), (f) => preparer.prepare(f.name, f.seed), Math.max(2, 2 * workers)),
      options.batchSize,
      options.dropRemainder ?? options.shuffle ?? true,
    );
    yield* prefetch(map(perEpoch, collate), options.prefetchBatches ?? 2);
  } finally {
    preparer.close();
  }
}

/** Result of a throughput measurement. */
export interface PipelineThroughput {
  workers: number;
  batchSize: number;
  height: number;
  width: number;
  images: number;
  seconds: number;
  imagesPerSecond: number;
}

/**
 * Measures how many prepared images per second the pipeline delivers to a consumer that does nothing, after one
 * warm-up batch (worker start-up and module loading excluded).
 */
export async function measurePipelineThroughput(options: {
  source: DatasetSource;
  cropHeight: number;
  cropWidth: number;
  workers: number;
  batchSize: number;
  batches: number;
  seed?: number;
}): Promise<PipelineThroughput> {
  const it = batches({
    source: options.source,
    batchSize: options.batchSize,
    workers: options.workers,
    seed: options.seed ?? 0,
    config: { augment: { cropHeight: options.cropHeight, cropWidth: options.cropWidth } },
  });
  let start = 0, images = 0, seen = 0;
  for await (const b of it) {
    if (seen++ === 0) {
      start = performance.now();
      continue;
    }
    images += b.size;
    if (seen > options.batches) break;
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    workers: options.workers,
    batchSize: options.batchSize,
    height: options.cropHeight,
    width: options.cropWidth,
    images,
    seconds,
    imagesPerSecond: images / seconds,
  };
}
