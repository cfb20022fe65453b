// Bench section "data-pipeline": per-stage time of one KITTI training example and the images/s the input pipeline
// delivers with 0..N workers, compared with the training step's consumption rate from the newest train-step record.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { PROJECT_ROOT } from "../../lib/io/project.ts";
import { benchDataPipeline, type DataPipelineBench } from "./data_pipeline.ts";
import { type BenchResult, type BenchSection, type FlagValues, intFlag, round } from "./section.ts";

/** The goal: the pipeline delivers at least this many times the images/s a training step consumes. */
export const PIPELINE_GOAL_RATIO = 4;

export interface DataPipelineConfig {
  kittiRoot: string;
  split: string;
  height: number;
  width: number;
  batch: number;
  workerCounts: number[];
  batches: number;
  stageFrames: number;
}

/** What the section reads from a train-step record: the tfjs single-thread training rate and its setting. */
export interface TrainStepConsumption {
  file: string;
  date: string;
  backend: string;
  imagesPerSecond: number;
  height: number;
  width: number;
  batch: number;
}

export interface DataPipelineData {
  config: DataPipelineConfig;
  bench: DataPipelineBench;
  trainStep: TrainStepConsumption | null;
  /** Pipeline images/s / training images/s per worker count (empty without a train-step record). */
  ratios: { workers: number; ratio: number; meetsGoal: boolean }[];
}

export function dataPipelineConfig(flags: FlagValues): DataPipelineConfig {
  const workerCounts = String(flags["pipeline-workers"]).split(",").map((w) => Number(w.trim()));
  if (!workerCounts.length || workerCounts.some((w) => !Number.isInteger(w) || w < 0)) {
    throw new Error(`--pipeline-workers must be comma-separated integers ≥ 0, got ${flags["pipeline-workers"]}`);
  }
  return {
    kittiRoot: String(flags["kitti"]),
    split: String(flags["split"]),
    height: intFlag(flags, "height"),
    width: intFlag(flags, "width"),
    batch: intFlag(flags, "batch"),
    workerCounts,
    batches: intFlag(flags, "pipeline-batches"),
    stageFrames: intFlag(flags, "stage-frames"),
  };
}

/** `path` relative to the project root when it is inside it (records and messages stay machine-independent). */
export function projectRelative(path: string): string {
  const rel = relative(PROJECT_ROOT, path);
  return rel.startsWith("..") ? path : rel;
}

/** The newest `<timestamp>-train-step.json` in `dir` (file names sort by time), or null when there is none. */
export function newestTrainStepRecord(dir: string): TrainStepConsumption | null {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^\d{4}-.*-train-step\.json$/.test(n)).sort();
  } catch {
    return null;
  }
  const name = names.at(-1);
  if (!name) return null;
  const file = join(dir, name);
  const record = JSON.parse(readFileSync(file, "utf8"));
  const d = record?.data;
  const imagesPerSecond = d?.tfjs?.imagesPerSecond;
  if (typeof imagesPerSecond !== "number" || !(imagesPerSecond > 0) || !d.config) {
    throw new Error(`${file}: not a train-step record (no data.tfjs.imagesPerSecond > 0 and data.config)`);
  }
  const { height, width, batch } = d.config;
  return {
    file: projectRelative(file),
    date: String(record.date),
    backend: String(d.backend),
    imagesPerSecond,
    height,
    width,
    batch,
  };
}

function methodology(c: DataPipelineConfig, d: DataPipelineData): string[] {
  const t = d.trainStep;
  return [
    `data: KITTI semantics 2015 split ${c.split} (${
      projectRelative(c.kittiRoot)
    }); every example = read (PNG decode of image and ` +
    `labels) → augment (random scale, crop ${c.height}x${c.width}, flip) → targets (centre heatmap, offsets, ` +
    `weights) → normalise`,
    `stage times: median over the first ${c.stageFrames} frames, one at a time on the calling thread`,
    `throughput: images/s delivered to a consumer that does nothing, batches of ${c.batch}, ${c.batches} timed ` +
    `batches after one untimed (worker start-up excluded), for ${c.workerCounts.join(", ")} pipeline workers ` +
    "(0 = on the calling thread); the machine is shared, so the figures are lower bounds",
    t
      ? `training step consumption: ${t.imagesPerSecond.toFixed(2)} images/s = tfjs ${t.backend} single-thread ` +
        `step at ${t.height}x${t.width}, batch ${t.batch}, from ${t.file} (${t.date}), the newest train-step ` +
        `record; goal: pipeline ≥ ${PIPELINE_GOAL_RATIO}x that rate`
      : "training step consumption: no train-step record in the output folder, so no ratio (run " +
        "`deno task bench --section train-step` first)",
  ];
}

export async function benchDataPipelineSection(c: DataPipelineConfig, out: string, log: (line: string) => void) {
  log(`data-pipeline: KITTI ${c.split}, ${c.height}x${c.width} crops, batch ${c.batch}, workers ${c.workerCounts}`);
  const bench = await benchDataPipeline({
    source: { kind: "kitti", root: c.kittiRoot, split: c.split },
    cropHeight: c.height,
    cropWidth: c.width,
    workerCounts: c.workerCounts,
    batchSize: c.batch,
    batches: c.batches,
    frames: c.stageFrames,
  });
  const trainStep = newestTrainStepRecord(out);
  const ratios = trainStep
    ? bench.throughput.map((t) => {
      const ratio = t.imagesPerSecond / trainStep.imagesPerSecond;
      return { workers: t.workers, ratio, meetsGoal: ratio >= PIPELINE_GOAL_RATIO };
    })
    : [];
  const data: DataPipelineData = { config: c, bench, trainStep, ratios };
  const stageNames = {
    read: "read (decode image + labels)",
    augment: "augment",
    targets: "targets",
    normalise: "normalise",
  };
  const rows: BenchResult["rows"] = Object.entries(bench.stageMs).map(([stage, ms]) => [
    `${stageNames[stage as keyof typeof stageNames]}, ms per example`,
    round(ms),
    "",
  ]);
  for (const [i, t] of bench.throughput.entries()) {
    const r = ratios[i];
    rows.push([
      `pipeline, ${t.workers} worker${t.workers === 1 ? "" : "s"}, images/s`,
      round(t.imagesPerSecond, 2),
      r
        ? `x${round(r.ratio, 2)} (${r.meetsGoal ? "meets" : "misses"} ≥ ${PIPELINE_GOAL_RATIO}x)`
        : "no train-step record",
    ]);
  }
  if (trainStep) {
    rows.push([
      `training step consumption (tfjs ${trainStep.backend}, 1 thread), images/s`,
      round(trainStep.imagesPerSecond, 2),
      "x1",
    ]);
  }
  return {
    section: "data-pipeline",
    methodology: methodology(c, data),
    headers: ["measure", "value", `vs training step (goal ≥ ${PIPELINE_GOAL_RATIO}x)`],
    rows,
    data,
  } satisfies BenchResult;
}

export const dataPipelineSection: BenchSection = {
  name: "data-pipeline",
  summary: "KITTI input pipeline: per-stage ms per example and images/s per worker count vs the training step's rate",
  flags: {
    kitti: { type: "string", default: join(PROJECT_ROOT, "data", "kitti") },
    split: { type: "string", default: "acdc_train" },
    height: { type: "string", default: "256" },
    width: { type: "string", default: "512" },
    batch: { type: "string", default: "4" },
    "pipeline-workers": { type: "string", default: "0,2" },
    "pipeline-batches": { type: "string", default: "30" },
    "stage-frames": { type: "string", default: "5" },
  },
  run: (flags, log) => benchDataPipelineSection(dataPipelineConfig(flags), String(flags.out), log),
};
