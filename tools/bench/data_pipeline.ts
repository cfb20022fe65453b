// Bench section for the input pipeline: per-stage cost of one training example on the calling thread (read,
// augment, targets, normalise) and the images/s the worker pipeline delivers for several worker counts.

import { augmentSample } from "../../lib/data/pipeline/augment.ts";
import { measurePipelineThroughput, type PipelineThroughput } from "../../lib/data/pipeline/pipeline.ts";
import { normaliseImage } from "../../lib/data/pipeline/prepare.ts";
import { type DatasetSource, openSource } from "../../lib/data/datasets/sources.ts";
import { buildTargets } from "../../lib/data/pipeline/targets.ts";

export interface DataPipelineBench {
  cropHeight: number;
  cropWidth: number;
  /** Median milliseconds per example for each stage, on the calling thread. */
  stageMs: { read: number; augment: number; targets: number; normalise: number };
  /** One measurement per worker count (0 = everything on the calling thread). */
  throughput: PipelineThroughput[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Times the stages on `frames` frames of the source, then measures pipeline throughput per worker count. */
export async function benchDataPipeline(options: {
  source: DatasetSource;
  cropHeight?: number;
  cropWidth?: number;
  workerCounts?: readonly number[];
  batchSize?: number;
  batches?: number;
  frames?: number;
}): Promise<DataPipelineBench> {
  const cropHeight = options.cropHeight ?? 256, cropWidth = options.cropWidth ?? 512;
  const crop = { cropHeight, cropWidth };
  const src = await openSource(options.source);
  const names = src.names.slice(0, options.frames ?? 5);
  const times = { read: [] as number[], augment: [] as number[], targets: [] as number[], normalise: [] as number[] };
  for (const [k, name] of names.entries()) {
    let t0 = performance.now();
    const sample = await src.read(name);
    times.read.push(performance.now() - t0);
    t0 = performance.now();
    const augmented = augmentSample(sample, crop, k);
    times.augment.push(performance.now() - t0);
    t0 = performance.now();
    buildTargets(augmented);
    times.targets.push(performance.now() - t0);
    t0 = performance.now();
    normaliseImage(augmented.image);
    times.normalise.push(performance.now() - t0);
  }
  const throughput: PipelineThroughput[] = [];
  for (const workers of options.workerCounts ?? [0, 2]) {
    throughput.push(
      await measurePipelineThroughput({
        source: options.source,
        cropHeight,
        cropWidth,
        workers,
        batchSize: options.batchSize ?? 4,
        batches: options.batches ?? 10,
      }),
    );
  }
  return {
    cropHeight,
    cropWidth,
    stageMs: {
      read: median(times.read),
      augment: median(times.augment),
      targets: median(times.targets),
      normalise: median(times.normalise),
    },
    throughput,
  };
}
