// Bench section "predict": what `deno task predict` costs per full-resolution KITTI frame with a trained model — wall
// time per additional frame (start-up excluded), split into reading, network, post-processing and writing the
// outputs, plus resident memory and live tensors frame by frame — measured in a subprocess started as the task starts
// (tools/bench/predict_timing.ts), since the bench's own backend runs on one thread.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readKittiSplit } from "../../lib/data/datasets/kitti.ts";
import { PROJECT_ROOT } from "../../lib/io/project.ts";
import { DEFAULT_RUN_DIR } from "../../lib/train/config.ts";
import { median } from "./measure.ts";
import type { PredictFrameLine, PredictStartLine } from "./predict_timing.ts";
import { type BenchResult, type BenchSection, type FlagValues, intFlag, round } from "./section.ts";

/** The issue's goal: at most 0.4 s per additional full-resolution frame, every output written. */
export const PREDICT_GOAL_SECONDS = 0.4;

export interface PredictConfig {
  frames: number;
  checkpoint: string;
  /** KITTI folder and split whose first `frames` images are predicted. */
  data: string;
  split: string;
  /** wasm threads (PANOPTIC_WASM_THREADS); null = the task's default (every core). */
  threads: number | null;
  /** Inference workers (1 = the main thread); null = the task's default (defaultInferenceWorkers). */
  workers: number | null;
}

type Stage = keyof PredictFrameLine["stages"];
const STAGES: readonly Stage[] = ["read", "network", "postprocess", "write"];

export interface PredictData {
  config: PredictConfig;
  start: PredictStartLine;
  perFrame: PredictFrameLine[];
  /** Medians over frames 2..N (the first frame also warms up the backend). */
  perAdditionalFrameSeconds: number;
  stageSeconds: Record<Stage, number>;
  /** Resident memory after the second and after the last frame, and live tensors after each frame. */
  rssMb: { second: number; last: number };
  tensors: number[];
}

export function predictConfig(flags: FlagValues): PredictConfig {
  const threads = String(flags["predict-threads"]);
  return {
    frames: intFlag(flags, "predict-frames", 2),
    checkpoint: String(flags["predict-checkpoint"]),
    data: String(flags["predict-data"]),
    split: String(flags["predict-split"]),
    threads: threads === "auto" ? null : intFlag(flags, "predict-threads"),
    workers: String(flags["predict-workers"]) === "auto" ? null : intFlag(flags, "predict-workers"),
  };
}

/** Runs tools/bench/predict_timing.ts on the first `frames` images of the split; returns its parsed lines. */
async function runTiming(c: PredictConfig, images: string[], outDir: string) {
  const env: Record<string, string> = c.threads === null ? {} : { PANOPTIC_WASM_THREADS: String(c.threads) };
  const script = join(PROJECT_ROOT, "tools", "bench", "predict_timing.ts");
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, c.checkpoint, outDir, String(c.workers ?? "auto"), ...images],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`predict timing failed (exit ${out.code}): ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  const lines = text.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  return { start: lines[0] as PredictStartLine, perFrame: lines.slice(1) as PredictFrameLine[] };
}

export async function benchPredict(c: PredictConfig, log: (line: string) => void): Promise<PredictData> {
  const names = readKittiSplit(c.data, c.split).slice(0, c.frames);
  if (names.length < c.frames) throw new Error(`${c.data}: split ${c.split} has ${names.length} frames, < ${c.frames}`);
  const images = names.map((n) => join(c.data, "image_2", `${n}.png`));
  const outDir = mkdtempSync(join(tmpdir(), "bench-predict-"));
  try {
    log(`predict: ${c.frames} frames of ${c.split} with ${c.checkpoint}`);
    const { start, perFrame } = await runTiming(c, images, outDir);
    const later = perFrame.slice(1);
    return {
      config: c,
      start,
      perFrame,
      perAdditionalFrameSeconds: median(later.map((f) => f.seconds)),
      stageSeconds: Object.fromEntries(STAGES.map((s) => [s, median(later.map((f) => f.stages[s]))])) as Record<
        Stage,
        number
      >,
      rssMb: { second: perFrame[1].rssMb, last: perFrame[perFrame.length - 1].rssMb },
      tensors: perFrame.map((f) => f.tensors),
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** Where the subprocess ran the network. */
function networkWhere(workers: number): string {
  return workers > 1
    ? `the network in ${workers} inference workers (lib/model/inference_pool.ts), the cores divided among them`
    : "the network on the main thread";
}

function methodology(d: PredictData): string[] {
  const c = d.config;
  return [
    `${c.frames} full-resolution frames of KITTI ${c.split} (${c.data}) predicted by ${c.checkpoint} in one ` +
    "subprocess started as `deno task predict` starts (tools/bench/predict_timing.ts: the same backend choice, " +
    `${c.threads === null ? "every core" : `${c.threads} wasm threads`}; ${d.start.backend}; ` +
    `${networkWhere(d.start.workers)}), each frame through predictImages: decode, network (padding, heads, resize ` +
    "back, read-back), Panoptic-DeepLab post-processing, and every output written (panoptic, semantic, labelIds and " +
    "overlay PNGs, segments JSON, panoptic.json), the next images decoded and through the network while an image's " +
    "outputs are encoded",
    "per additional frame: median time between two images' outputs being written, over frames 2..N (start-up, " +
    "backend and model loading, and the first frame's warm-up excluded); stages: their own durations' medians " +
    "over the same frames (they overlap, so they do not add up to the time per frame)",
    `memory: resident set after frame 2 and after frame ${c.frames}; live tensors after every frame ` +
    "(constant = no leak)",
  ];
}

export const predictSection: BenchSection = {
  name: "predict",
  summary: "deno task predict per full-resolution KITTI frame: time per stage, memory",
  flags: {
    "predict-frames": { type: "string", default: "11" },
    "predict-checkpoint": { type: "string", default: DEFAULT_RUN_DIR },
    "predict-data": { type: "string", default: "data/kitti" },
    "predict-split": { type: "string", default: "acdc_val" },
    "predict-threads": { type: "string", default: "auto" },
    "predict-workers": { type: "string", default: "auto" },
  },
  async run(flags: FlagValues, log: (line: string) => void): Promise<BenchResult> {
    const d = await benchPredict(predictConfig(flags), log);
    const ms = (s: number) => round(s * 1000);
    const goal = d.perAdditionalFrameSeconds <= PREDICT_GOAL_SECONDS ? "meets" : "misses";
    const grows = d.tensors.some((t) => t !== d.tensors[0]);
    return {
      section: "predict",
      methodology: methodology(d),
      headers: ["measure", "value", "note"],
      rows: [
        ["per additional frame (ms)", ms(d.perAdditionalFrameSeconds), `≤ ${PREDICT_GOAL_SECONDS * 1000} ms: ${goal}`],
        ...STAGES.map((s) => [`  ${s} (ms)`, ms(d.stageSeconds[s]), ""]),
        [
          "start-up to model loaded (s)",
          round(d.start.startupSeconds, 2),
          `${d.start.backend}; ${networkWhere(d.start.workers)}`,
        ],
        ["first frame (ms)", ms(d.perFrame[0].seconds), "includes the backend's warm-up"],
        [
          "resident memory (MB)",
          `${round(d.rssMb.second)} → ${round(d.rssMb.last)}`,
          `after frame 2 → after frame ${d.config.frames}`,
        ],
        [
          "live tensors",
          `${d.tensors[0]}${grows ? ` → ${d.tensors[d.tensors.length - 1]}` : ""}`,
          grows ? "grow" : "constant",
        ],
      ],
      data: d,
    };
  },
};
