// Bench section "train-step": forward and full training-step time of the light segmenter (MobileNetV2 + light
// decoder) on the current tfjs backend in this thread (one wasm thread), in one worker with T wasm threads and over
// N data-parallel workers, and of the same network in PyTorch CPU (tools/bench/torch_peer.py), their runs alternating;
// reports images/s, peak RSS and the tfjs/PyTorch ratios.
import * as tf from "@tensorflow/tfjs-core";
import { loadavg } from "node:os";
import { currentBackend } from "../../lib/runtime/backend.ts";
import { defaultWasmThreads } from "../../lib/runtime/wasm_threads.ts";
import { DataParallelTrainer } from "../../lib/train/data_parallel.ts";
import { LocalTrainer, toTensor } from "../../lib/train/local_trainer.ts";
import { randomSegmentationBatch } from "../../lib/train/testing/random_batch.ts";
import { summarizeModel } from "../../lib/model/summary.ts";
import { loadTask, type TaskSpec } from "../../lib/train/train_task.ts";
import { buildLightSegmenter, type LightSegmenterOptions } from "./light_segmenter.ts";
import { interleavedRuns, peakRssMb, timeRuns, type Timing } from "./measure.ts";
import { type BenchResult, type BenchSection, type FlagValues, intFlag, round } from "./section.ts";
import { DEFAULT_TORCH_PYTHON, TorchPeer, type TorchPeerResult, torchVersion } from "./torch_peer.ts";

export interface TrainStepConfig {
  height: number;
  width: number;
  batch: number;
  /** Images per forward/backward pass in the single-thread step (gradients add up before Adam). */
  microBatch: number;
  /** Data-parallel workers to compare with the single thread (< 2: no data-parallel run). */
  workers: number;
  /** wasm threads of the one-worker threaded run (< 2: not run). */
  threads: number;
  warmup: number;
  steps: number;
  classes: number;
  pretrained: boolean;
  learningRate: number;
  /** "auto": run the PyTorch peer when torch imports; "off": skip it. */
  torch: "auto" | "off";
  torchThreads: number;
  python: string;
}

export interface TfjsStepFigures {
  forward: Timing;
  step: Timing;
  imagesPerSecond: number;
  peakRssMb: number;
  /** tf.memory().numTensors after each timed step (constant = no leak). */
  tensorsAfterStep: number[];
}

/** A step-only tfjs setting, and its images/s over the single thread's. */
export interface StepVersusSingle {
  step: Timing;
  imagesPerSecond: number;
  peakRssMb: number;
  speedup: number;
}

export interface TrainStepData {
  config: TrainStepConfig;
  backend: string;
  /** Trainable parameters (PyTorch reports its count too: equal counts = same network). */
  trainableParameters: number;
  machine: { cpus: number; loadAverageStart: number[]; loadAverageEnd: number[]; deno: string };
  tfjs: TfjsStepFigures;
  dataParallel: ({ workers: number } & StepVersusSingle) | null;
  /** One worker whose wasm backend runs `threads` threads. */
  threaded: ({ threads: number } & StepVersusSingle) | null;
  torch: TorchPeerResult | { skipped: string };
  /** tfjs single-thread time / PyTorch time, and the threaded step's (null when PyTorch did not run). */
  ratios: { forward: number; step: number; threadedStep: number | null } | null;
  /** Convolution FLOPs (multiply-adds ×2) of one forward pass of the batch, from the layer shapes. */
  forwardGflop: number;
}

/** FLOPs of the convolutions in one forward pass of a `c.batch` × `c.height` × `c.width` batch, in GFLOP. */
async function forwardGflop(c: TrainStepConfig): Promise<number> {
  const model = await buildLightSegmenter({ classes: c.classes, pretrained: false, inputSize: [c.height, c.width] });
  const { flops } = summarizeModel(model);
  model.dispose();
  return (flops * c.batch) / 1e9;
}

export function trainStepConfig(flags: FlagValues): TrainStepConfig {
  const config: TrainStepConfig = {
    height: intFlag(flags, "height"),
    width: intFlag(flags, "width"),
    batch: intFlag(flags, "batch"),
    microBatch: intFlag(flags, "micro-batch"),
    workers: intFlag(flags, "workers"),
    threads: intFlag(flags, "threads"),
    warmup: intFlag(flags, "warmup", 0),
    steps: intFlag(flags, "steps"),
    classes: intFlag(flags, "classes", 2),
    pretrained: !flags["random-init"],
    learningRate: Number(flags["lr"]),
    torch: flags["torch"] === "off" ? "off" : "auto",
    torchThreads: intFlag(flags, "torch-threads"),
    python: String(flags["python"]),
  };
  if (config.height % 16 || config.width % 16) {
    throw new Error(`--height and --width must be multiples of 16, got ${config.height}x${config.width}`);
  }
  if (!(config.learningRate > 0)) throw new Error(`--lr must be a positive number, got ${flags["lr"]}`);
  return config;
}

function methodology(c: TrainStepConfig, backend: string, parameters: number, torch: string, gflop: number): string[] {
  const perWorker = Math.ceil(c.batch / c.workers);
  return [
    `network: MobileNetV2 (alpha 1.0, ${c.pretrained ? "nsfwjs ImageNet-derived" : "random"} weights, batch norm ` +
    `frozen and folded) up to block_13_expand_relu + light decoder (stride-16 1x1 conv 128, x4 bilinear; stride-4 ` +
    `1x1 conv 32; concat, 3x3 conv 128, 1x1 conv ${c.classes}; x4 bilinear), ${parameters} trainable parameters; ` +
    `softmax ` +
    `cross-entropy over ${c.classes} classes (about 10 % ignored pixels); Adam (lr ${c.learningRate})`,
    `input: batch ${c.batch} of ${c.height}x${c.width} RGB in [-1, 1], seeded random images and labels`,
    `tfjs ${backend} backend, one thread in this process (wasm: one thread); forward = predict + read back; ` +
    "step = forward + backward + Adam " +
    `(micro-batches of ${Math.min(c.microBatch, c.batch)} images whose gradients add up before one Adam step)`,
    `each time: median of ${c.steps} timed runs after ${c.warmup} warm-up runs; the single-thread, PyTorch, ` +
    `threaded and data-parallel steps are timed alternately (one of each per round, in that order; the forward ` +
    `passes likewise), so that all see the same machine load; images/s = batch / median step; ` +
    "cores used = process CPU time / wall time over the timed steps (below 1 per busy thread = other processes " +
    "took the cores: the machine is shared)",
    c.workers >= 2
      ? `data parallel: ${c.workers} Deno workers, each with its own ${backend} backend and model replica, ` +
        `${perWorker} image(s) each per step; gradients averaged in the main thread, the same Adam update applied ` +
        `by every worker`
      : "data parallel: not run (--workers 1)",
    c.threads >= 2
      ? `threaded: one Deno worker whose wasm backend runs ${c.threads} threads (lib/runtime/wasm_threads.ts; XNNPACK's ` +
        "and our SIMD kernels'), the whole batch in one pass: a lone data-parallel replica, taking whole steps in " +
        "its worker (the batch goes in, loss and gradient norm come back)"
      : "threaded: not run (--threads 1)",
    `PyTorch: ${torch}; same network and batch, ${c.torchThreads} threads, random weights, batch norm in eval ` +
    `mode with trainable scale/offset; its own process, driven over stdin between the tfjs runs; each timed PyTorch ` +
    "forward pass or step follows an untimed one (the first after the tfjs runs paid 2-3x the kernel time for the " +
    "page faults of PyTorch's freshly mapped tensors) and is timed in the peer, around the run alone",
    `forward GFLOP/s: the convolutions' ${gflop.toFixed(1)} GFLOP per forward pass of the batch (multiply-adds ` +
    "x2, from the layer shapes: lib/model/summary.ts; resizes, activations and the loss not counted) / forward time",
    "peak RSS: VmHWM of the process (tfjs 1 thread: before the workers start; tfjs workers: the whole process, " +
    "main thread included; PyTorch: its own process)",
  ];
}

/**
 * Times the forward pass (alternating with PyTorch's), then, all warmed up, the single-thread, PyTorch, threaded
 * and data-parallel steps, one timed step of each per round, so that all see the same machine load.
 */
async function measure(spec: TaskSpec, c: TrainStepConfig, torch: TorchPeer | undefined) {
  const task = await loadTask(spec);
  const single = new LocalTrainer(task, { learningRate: c.learningRate }, c.microBatch);
  const batch = randomSegmentationBatch(1, [c.batch, c.height, c.width], c.classes);
  const images = toTensor(batch.images);
  let parallel: DataParallelTrainer | undefined;
  let threaded: DataParallelTrainer | undefined;
  try {
    const predict = async () => {
      const y = task.model.predict(images) as tf.Tensor;
      await y.data();
      y.dispose();
    };
    await timeRuns(predict, c.warmup, 0);
    await torch?.warmup();
    const [forward] = await interleavedRuns(torch ? [predict, () => torch.forward()] : [predict], c.steps);
    await timeRuns(() => single.step(batch), c.warmup, 0);
    const singlePeakRssMb = peakRssMb();
    const tensorsAfterStep: number[] = [];
    const singleStep = async () => {
      await single.step(batch);
      tensorsAfterStep.push(tf.memory().numTensors);
    };
    const adam = { learningRate: c.learningRate };
    if (c.threads >= 2) threaded = await DataParallelTrainer.create(spec, adam, 1, c.threads);
    if (c.workers >= 2) parallel = await DataParallelTrainer.create(spec, adam, c.workers);
    const others = [threaded, parallel].filter((t) => t !== undefined);
    for (const trainer of others) await timeRuns(() => trainer.step(batch), c.warmup, 0);
    const torchStep = torch ? [() => torch.step()] : [];
    const timings = await interleavedRuns(
      [singleStep, ...torchStep, ...others.map((t) => () => t.step(batch))],
      c.steps,
    );
    const [threadedTiming, parallelTiming] = [threaded, parallel].map((t) =>
      t ? timings[1 + torchStep.length + others.indexOf(t)] : undefined
    );
    const imagesPerSecond = (t: Timing) => c.batch / (t.medianMs / 1000);
    const tfjs: TfjsStepFigures = {
      forward,
      step: timings[0],
      imagesPerSecond: imagesPerSecond(timings[0]),
      peakRssMb: singlePeakRssMb,
      tensorsAfterStep,
    };
    const versus = (step: Timing) => ({
      step,
      imagesPerSecond: imagesPerSecond(step),
      peakRssMb: peakRssMb(),
      speedup: imagesPerSecond(step) / tfjs.imagesPerSecond,
    });
    const dataParallel = parallelTiming ? { workers: c.workers, ...versus(parallelTiming) } : null;
    const threadedRun = threadedTiming ? { threads: c.threads, ...versus(threadedTiming) } : null;
    const params = task.model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a, b) => a! * b!, 1)!, 0);
    return { tfjs, dataParallel, threaded: threadedRun, params };
  } finally {
    images.dispose();
    await single.dispose();
    await parallel?.dispose();
    await threaded?.dispose();
  }
}

export async function benchTrainStep(c: TrainStepConfig, log: (line: string) => void): Promise<BenchResult> {
  const backend = currentBackend()?.name ?? tf.getBackend();
  const loadAverageStart = loadavg();
  const options: LightSegmenterOptions = { classes: c.classes, pretrained: c.pretrained };
  const spec: TaskSpec = {
    module: new URL("./light_segmenter.ts", import.meta.url).href,
    exportName: "createLightSegmenterTask",
    options,
  };
  const threadedText = c.threads >= 2 ? `, one worker with ${c.threads} threads` : "";
  const parallelText = c.workers >= 2 ? ` and over ${c.workers} data-parallel workers` : "";
  log(
    `train-step: tfjs ${backend}, one thread${threadedText}${parallelText}, batch ${c.batch} of ${c.height}x${c.width}`,
  );
  let torch: TrainStepData["torch"] = { skipped: "--torch off" };
  let torchLabel = "not run (--torch off)";
  let peer: TorchPeer | undefined;
  if (c.torch === "auto") {
    const found = await torchVersion(c.python);
    if ("version" in found) {
      log(`train-step: PyTorch ${found.version} CPU, ${c.torchThreads} threads, timed alternately with tfjs`);
      const { height, width, batch, classes, warmup, torchThreads: threads } = c;
      peer = await TorchPeer.start({ height, width, batch, classes, warmup, threads }, c.python);
      torchLabel = `PyTorch ${found.version} CPU (tools/bench/torch_peer.py)`;
    } else {
      torch = { skipped: found.missing };
      torchLabel = `not run: ${found.missing}`;
    }
  }
  let measured;
  try {
    measured = await measure(spec, c, peer);
    if (peer) torch = await peer.finish();
  } finally {
    peer?.kill();
  }
  const { tfjs, dataParallel, threaded, params } = measured;
  const gflop = await forwardGflop(c);
  const gflopPerSecond = (forwardMs: number) => round(gflop / (forwardMs / 1000));
  const ratios = "stepMs" in torch
    ? {
      forward: tfjs.forward.medianMs / torch.forwardMs,
      step: tfjs.step.medianMs / torch.stepMs,
      threadedStep: threaded ? threaded.step.medianMs / torch.stepMs : null,
    }
    : null;
  const data: TrainStepData = {
    config: c,
    backend,
    trainableParameters: params,
    machine: {
      cpus: navigator.hardwareConcurrency,
      loadAverageStart,
      loadAverageEnd: loadavg(),
      deno: Deno.version.deno,
    },
    tfjs,
    dataParallel,
    threaded,
    torch,
    ratios,
    forwardGflop: gflop,
  };
  const rows: BenchResult["rows"] = [
    [
      `tfjs ${backend}, 1 thread`,
      round(tfjs.forward.medianMs),
      gflopPerSecond(tfjs.forward.medianMs),
      round(tfjs.step.medianMs),
      round(tfjs.imagesPerSecond, 2),
      round(tfjs.step.coresUsed, 2),
      round(tfjs.peakRssMb),
    ],
  ];
  const stepOnlyRow = (label: string, run: StepVersusSingle) => [
    `${label} (speed-up x${round(run.speedup, 2)})`,
    "",
    "",
    round(run.step.medianMs),
    round(run.imagesPerSecond, 2),
    round(run.step.coresUsed, 2),
    round(run.peakRssMb),
  ];
  if (threaded) rows.push(stepOnlyRow(`tfjs ${backend}, 1 worker x ${threaded.threads} threads`, threaded));
  if (dataParallel) rows.push(stepOnlyRow(`tfjs ${backend}, ${dataParallel.workers} workers`, dataParallel));
  if ("stepMs" in torch) {
    rows.push([
      `PyTorch CPU, ${torch.threads} threads`,
      round(torch.forwardMs),
      gflopPerSecond(torch.forwardMs),
      round(torch.stepMs),
      round(torch.imagesPerSecond, 2),
      round(torch.stepCoresUsed, 2),
      round(torch.peakRssMb),
    ]);
    rows.push(["ratio tfjs 1 thread / PyTorch", round(ratios!.forward, 2), "", round(ratios!.step, 2), "", "", ""]);
    if (ratios!.threadedStep !== null) {
      rows.push([`ratio tfjs ${c.threads} threads / PyTorch`, "", "", round(ratios!.threadedStep, 2), "", "", ""]);
    }
  }
  return {
    section: "train-step",
    methodology: methodology(c, backend, params, torchLabel, gflop),
    headers: [
      "setting",
      "forward ms",
      "forward GFLOP/s",
      "train step ms",
      "images/s",
      "cores used (step)",
      "peak RSS MB",
    ],
    rows,
    data,
  };
}

export const trainStepSection: BenchSection = {
  name: "train-step",
  summary:
    "forward and training-step time of MobileNetV2 + light decoder: tfjs (1 thread, T threads, N workers) vs PyTorch CPU",
  flags: {
    height: { type: "string", default: "256" },
    width: { type: "string", default: "512" },
    batch: { type: "string", default: "4" },
    "micro-batch": { type: "string", default: "2" },
    workers: { type: "string", default: "2" },
    threads: { type: "string", default: String(defaultWasmThreads()) },
    warmup: { type: "string", default: "2" },
    steps: { type: "string", default: "5" },
    classes: { type: "string", default: "19" },
    "random-init": { type: "boolean", default: false },
    lr: { type: "string", default: "0.0001" },
    torch: { type: "string", default: "auto" },
    "torch-threads": { type: "string", default: "2" },
    python: { type: "string", default: DEFAULT_TORCH_PYTHON },
  },
  run: (flags, log) => benchTrainStep(trainStepConfig(flags), log),
};
