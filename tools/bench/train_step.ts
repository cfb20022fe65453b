// Bench section "train-step": the model that `deno task train` trains — Panoptic-DeepLab
// (lib/model/panoptic_deeplab.ts) as the default training config builds it, pretrained encoder included, with its
// three losses and Adam through the training task (lib/train/panoptic_task.ts) and the trainers training uses — at
// the training crop and batch, on seeded synthetic batches whose targets come from the real target generator. Times
// its forward pass and training step on the current tfjs backend in this thread (one wasm thread), in one worker with
// T wasm threads and over N data-parallel workers, and its forward pass on one full-resolution KITTI frame
// (inference); the same network, losses and optimiser in PyTorch CPU (tools/bench/torch_peer.py), their runs
// alternating; reports images/s, GFLOP/s, peak RSS and the tfjs/PyTorch ratios.
import * as tf from "@tensorflow/tfjs-core";
import { loadavg } from "node:os";
import { type DatasetDescriptor, LABEL_SETS } from "../../lib/data/labels/descriptor.ts";
import { normaliseImage } from "../../lib/data/pipeline/prepare.ts";
import { paddedSize } from "../../lib/model/outputs.ts";
import {
  buildPanopticDeepLab,
  DEFAULT_MODEL_CONFIG,
  ENCODER_NAMES,
  type EncoderName,
  type PanopticDeepLabConfig,
} from "../../lib/model/panoptic_deeplab.ts";
import { summarizeModel } from "../../lib/model/summary.ts";
import { currentBackend } from "../../lib/runtime/backend.ts";
import { defaultWasmThreads } from "../../lib/runtime/wasm_threads.ts";
import { DEFAULT_TRAIN_CONFIG } from "../../lib/train/config.ts";
import { createTrainer, DataParallelTrainer } from "../../lib/train/data_parallel.ts";
import { LocalTrainer, toTensor } from "../../lib/train/local_trainer.ts";
import { DEFAULT_LOSS_OPTIONS, type LossOptions } from "../../lib/train/losses.ts";
import { panopticTaskSpec } from "../../lib/train/panoptic_task.ts";
import { randomPanopticBatch, randomPanopticSample } from "../../lib/train/testing/panoptic_batch.ts";
import type { ArrayBatch, NdArray, StepOptions, TaskSpec, Trainer } from "../../lib/train/train_task.ts";
import { interleavedRuns, peakRssMb, timeRuns, type Timing } from "./measure.ts";
import { type BenchResult, type BenchSection, type FlagValues, intFlag, round } from "./section.ts";
import { forwardAndRead, ThreadedForward } from "./threaded_forward.ts";
import { DEFAULT_TORCH_PYTHON, TorchPeer, type TorchPeerResult, torchTwinModel, torchVersion } from "./torch_peer.ts";

export interface TrainStepConfig {
  height: number;
  width: number;
  batch: number;
  /** Images per forward/backward pass in the single-thread and threaded steps (gradients add up before Adam). */
  microBatch: number;
  /** Data-parallel workers to compare with the single thread (< 2: no data-parallel run). */
  workers: number;
  /** wasm threads of the one-worker threaded runs (< 2: not run). */
  threads: number;
  warmup: number;
  steps: number;
  /** The network: the default training config's, with this encoder and decoder kernel. */
  encoder: EncoderName;
  decoderKernel: 3 | 5;
  pretrained: boolean;
  learningRate: number;
  /** The inference frame (KITTI: 375x1242), padded to a multiple of 16 as lib/model/inference.ts pads it. */
  frameHeight: number;
  frameWidth: number;
  /** "auto": run the PyTorch peer when torch imports; "off": skip it. */
  torch: "auto" | "off";
  torchThreads: number;
  python: string;
}

export interface TfjsStepFigures {
  forward: Timing;
  step: Timing;
  /** Forward pass of the inference frame. */
  inference: Timing;
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
  /** The network timed (lib/model/panoptic_deeplab.ts' configuration) and its losses' options. */
  model: PanopticDeepLabConfig;
  loss: Required<LossOptions>;
  /** Trainable parameters (PyTorch reports its count too: equal counts = same network). */
  trainableParameters: number;
  machine: { cpus: number; loadAverageStart: number[]; loadAverageEnd: number[]; deno: string };
  tfjs: TfjsStepFigures;
  dataParallel: ({ workers: number } & StepVersusSingle) | null;
  /** One worker whose wasm backend runs `threads` threads: its forward passes (another worker) and steps. */
  threaded: ({ threads: number; forward: Timing; inference: Timing } & StepVersusSingle) | null;
  torch: TorchPeerResult | { skipped: string };
  /** tfjs time / PyTorch time, single thread and threaded (null when PyTorch did not run). */
  ratios: {
    forward: number;
    step: number;
    inference: number;
    threadedForward: number | null;
    threadedStep: number | null;
    threadedInference: number | null;
  } | null;
  /** Convolution FLOPs (multiply-adds ×2) of one forward pass of the batch, from the layer shapes. */
  forwardGflop: number;
  /** The inference frame, the padded size the network runs it at, and its convolution GFLOP. */
  inference: { frame: [number, number]; padded: [number, number]; gflop: number };
}

/** The network the section times: the default training config's model with the flags' choices. */
export function benchModelConfig(c: TrainStepConfig): PanopticDeepLabConfig {
  return {
    ...DEFAULT_MODEL_CONFIG,
    ...DEFAULT_TRAIN_CONFIG.model,
    encoder: c.encoder,
    decoderKernel: c.decoderKernel,
    pretrained: c.pretrained,
  };
}

/** Convolution FLOPs of one forward pass of `model` on one `height` × `width` image, in GFLOP. */
async function imageGflop(model: PanopticDeepLabConfig, height: number, width: number): Promise<number> {
  const fixed = await buildPanopticDeepLab({ ...model, pretrained: false }, [height, width]);
  const { flops } = summarizeModel(fixed);
  fixed.dispose();
  return flops / 1e9;
}

/** A seeded synthetic RGB frame in [-1, 1], zero-padded to `padded` (NHWC, batch 1), as inference pads it. */
function inferenceFrame(
  height: number,
  width: number,
  [ph, pw]: [number, number],
  labels: DatasetDescriptor,
): NdArray<Float32Array> {
  const rgb = normaliseImage(randomPanopticSample(7, height, width, labels).image);
  const data = new Float32Array(ph * pw * 3);
  for (let y = 0; y < height; y++) data.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * pw * 3);
  return { data, shape: [1, ph, pw, 3] };
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
    encoder: String(flags["encoder"]) as EncoderName,
    decoderKernel: Number(flags["decoder-kernel"]) as 3 | 5,
    pretrained: !flags["random-init"],
    learningRate: Number(flags["lr"]),
    frameHeight: intFlag(flags, "frame-height"),
    frameWidth: intFlag(flags, "frame-width"),
    torch: flags["torch"] === "off" ? "off" : "auto",
    torchThreads: intFlag(flags, "torch-threads"),
    python: String(flags["python"]),
  };
  if (config.height % 16 || config.width % 16) {
    throw new Error(`--height and --width must be multiples of 16, got ${config.height}x${config.width}`);
  }
  if (!(config.learningRate > 0)) throw new Error(`--lr must be a positive number, got ${flags["lr"]}`);
  if (config.decoderKernel !== 3 && config.decoderKernel !== 5) {
    throw new Error(`--decoder-kernel must be 3 or 5, got ${flags["decoder-kernel"]}`);
  }
  if (!ENCODER_NAMES.includes(config.encoder)) {
    throw new Error(`--encoder must be one of ${ENCODER_NAMES.join(", ")}, got ${flags["encoder"]}`);
  }
  return config;
}

function describeModel(d: Pick<TrainStepData, "model" | "loss" | "trainableParameters">, c: TrainStepConfig): string {
  const m = d.model;
  const encoder = m.encoder === "mobilenet_v2"
    ? `MobileNetV2 1.0 up to block_13_expand_relu (${m.pretrained ? "nsfwjs ImageNet-derived" : "random"} ` +
      "weights, batch norm frozen and folded into the convolutions)"
    : `the CenterNet MobileNetV3-Large 0.75 up to expanded_conv_12/expand (${
      m.pretrained ? "COCO-trained" : "random"
    } weights, biased convolutions)`;
  const classes = LABEL_SETS[m.labels].classes.length;
  const k = `${m.decoderKernel}x${m.decoderKernel}`;
  return `network: the default training config's Panoptic-DeepLab (lib/model/panoptic_deeplab.ts): ${encoder}; ` +
    `ASPP ${m.decoderChannels} (1x1, separable 3x3 at rates ${m.asppRates.join(" and ")}, 1x1 projection); ` +
    `semantic decoder ${m.decoderChannels} and instance decoder ${m.instanceChannels} (x2 bilinear, 1x1 ` +
    `projections ${m.semanticLowLevel.join("/")} and ${m.instanceLowLevel.join("/")} of the stride-8/4 features, ` +
    `${k} depthwise-separable fusion); heads with a ${k} depthwise-separable convolution, 1x1 logits and x4 ` +
    `bilinear: semantic (${classes} classes, ${m.labels}), centre heatmap, offsets; biased convolutions and ReLU ` +
    `without batch norm after the encoder; ${d.trainableParameters} trainable parameters. Losses as training ` +
    `computes them (lib/train/panoptic_task.ts, lib/train/losses.ts): bootstrapped top-${100 * d.loss.topKPercent} ` +
    "% cross-entropy, weighted MSE of the centre heatmap, weighted L1 of the offsets (weights " +
    `${d.loss.semanticWeight}, ${d.loss.centerWeight}, ${d.loss.offsetWeight}); Adam (constant lr ` +
    `${c.learningRate}), gradients clipped to norm ${DEFAULT_TRAIN_CONFIG.clipNorm}`;
}

/** Whether the batch is training's: the default config's crop, batch and micro-batch, or those it differs from. */
function trainingSetting(c: TrainStepConfig): string {
  const t = DEFAULT_TRAIN_CONFIG;
  const same = c.height === t.crop[0] && c.width === t.crop[1] && c.batch === t.batchSize &&
    c.microBatch === t.microBatch;
  return same
    ? "the training crop, batch and micro-batch"
    : `training: ${t.crop.join("x")}, batch ${t.batchSize}, micro-batches of ${t.microBatch}`;
}

function methodology(
  c: TrainStepConfig,
  d: Pick<TrainStepData, "backend" | "model" | "loss" | "trainableParameters" | "forwardGflop" | "inference">,
  torch: string,
): string[] {
  const perWorker = Math.ceil(c.batch / c.workers);
  const micro = Math.min(c.microBatch, c.batch);
  const [ph, pw] = d.inference.padded;
  return [
    describeModel(d, c),
    `input: batch ${c.batch} of ${c.height}x${c.width} (${trainingSetting(c)}), seeded synthetic frames ` +
    "(random RGB in [-1, 1], stuff bands, six thing rectangles, ignored bottom rows) whose targets come from the " +
    "training pipeline's generator (lib/data/pipeline/prepare.ts): semantic labels and weights, centre heatmap and " +
    `weights, offsets and weights; inference: one ${c.frameWidth}x${c.frameHeight} frame zero-padded to ` +
    `${pw}x${ph} as lib/model/inference.ts pads it`,
    `tfjs ${d.backend} backend, one thread in this process (wasm: one thread); forward = predict + read back the ` +
    "three heads (the training batch; inference: the frame, ms per frame); step = forward + losses + backward + " +
    `clipping + Adam through the training task and trainer (micro-batches of ${micro} images whose gradients add ` +
    "up before one Adam step, as training does)",
    `each time: median of ${c.steps} timed runs after ${c.warmup} warm-up runs; the single-thread, PyTorch and ` +
    "threaded forward passes are timed alternately (one of each per round, in that order; the inference frames " +
    "likewise), then the single-thread, PyTorch, threaded and data-parallel steps, so that all see the same machine " +
    "load; images/s = batch / median step; cores used = process CPU time / wall time over the timed steps (below 1 " +
    "per busy thread = other processes took the cores: the machine is shared)",
    c.workers >= 2
      ? `data parallel: ${c.workers} Deno workers, each with its own ${d.backend} backend and model replica, ` +
        `${perWorker} image(s) each per step in one pass; gradients averaged in the main thread, the same Adam ` +
        "update applied by every worker"
      : "data parallel: not run (--workers 1)",
    c.threads >= 2
      ? `threaded: Deno workers whose wasm backend runs ${c.threads} threads (lib/runtime/wasm_threads.ts; ` +
        "XNNPACK's and our SIMD kernels'): the steps in a lone data-parallel replica that takes whole steps in its " +
        `worker (micro-batches of ${micro}; the batch goes in, loss and gradient norm come back), the forward ` +
        "passes in another worker (tools/bench/threaded_forward.ts), stopped before the steps"
      : "threaded: not run (--threads 1)",
    `PyTorch: ${torch}; the same network (same layers, kernels, strides, dilations, channels, activations; the ` +
    "encoder's batch norm folded into biased convolutions at every call; bilinear resizes with half-pixel centres), " +
    `losses, clipping and Adam, ${c.torchThreads} threads, random weights; the same batch (read from the tfjs ` +
    "arrays), whole in one pass (no wasm heap to bound), and a seeded random frame of the padded size; its own " +
    "process, driven over stdin between the tfjs runs; " +
    "each timed PyTorch run follows an untimed one (the first after the tfjs runs paid 2-3x the kernel time for " +
    "the page faults of PyTorch's freshly mapped tensors) and is timed in the peer, around the run alone",
    `GFLOP/s: the convolutions' ${d.forwardGflop.toFixed(2)} GFLOP per forward pass of the batch and ` +
    `${d.inference.gflop.toFixed(2)} GFLOP per inference frame (multiply-adds x2, from the layer shapes: ` +
    "lib/model/summary.ts; resizes, activations and the losses not counted) / forward time",
    "peak RSS: VmHWM of the process (tfjs 1 thread: before any worker starts; tfjs workers: the whole process, " +
    "main thread and the forward worker included; PyTorch: its own process)",
  ];
}

type Run = [name: string, fn: () => Promise<void>];

/** Times the named runs alternately (one of each per round); their timings by name. */
async function alternately(runs: Run[], repeats: number): Promise<Record<string, Timing>> {
  const timings = await interleavedRuns(runs.map(([, fn]) => fn), repeats);
  return Object.fromEntries(runs.map(([name], i) => [name, timings[i]]));
}

/**
 * Warms up and times the single thread's forward passes and inference frames and, once the threaded forward worker is
 * up, times them alternately with PyTorch's and the worker's; then, the worker stopped and the trainers warmed up, the
 * single-thread, PyTorch, threaded and data-parallel steps, one timed step of each per round.
 */
async function measure(
  spec: TaskSpec,
  c: TrainStepConfig,
  batch: ArrayBatch,
  frame: NdArray<Float32Array>,
  torch: TorchPeer | undefined,
) {
  const adam = { learningRate: c.learningRate };
  const options: StepOptions = {
    weightDecay: DEFAULT_TRAIN_CONFIG.weightDecay,
    clipNorm: DEFAULT_TRAIN_CONFIG.clipNorm,
  };
  const single = await createTrainer(spec, adam, 1, c.microBatch);
  if (!(single instanceof LocalTrainer)) throw new Error("createTrainer with one worker gave no LocalTrainer");
  const model = single.task.model;
  const images = toTensor(batch.images);
  const frameTensor = toTensor(frame);
  let forwardWorker: ThreadedForward | undefined;
  const trainers: Trainer[] = [];
  try {
    const predict = () => forwardAndRead(model, images);
    const infer = () => forwardAndRead(model, frameTensor);
    const tensorsAfterStep: number[] = [];
    const singleStep = async () => {
      await single.step(batch, options);
      tensorsAfterStep.push(tf.memory().numTensors);
    };
    await timeRuns(predict, c.warmup, 0);
    await timeRuns(infer, c.warmup, 0);
    for (let i = 0; i < c.warmup; i++) await single.step(batch, options);
    const singlePeakRssMb = peakRssMb();

    const forwardRuns: Run[] = [["tfjs", predict]];
    const inferRuns: Run[] = [["tfjs", infer]];
    if (torch) {
      await torch.warmup();
      forwardRuns.push(["torch", () => torch.forward()]);
      inferRuns.push(["torch", () => torch.infer()]);
    }
    if (c.threads >= 2) {
      const worker = forwardWorker = await ThreadedForward.start(spec, c.threads);
      await worker.setInput("batch", batch.images);
      await worker.setInput("frame", frame);
      await timeRuns(() => worker.forward("batch"), c.warmup, 0);
      await timeRuns(() => worker.forward("frame"), c.warmup, 0);
      forwardRuns.push(["threaded", () => worker.forward("batch")]);
      inferRuns.push(["threaded", () => worker.forward("frame")]);
    }
    const forwards = await alternately(forwardRuns, c.steps);
    const inferences = await alternately(inferRuns, c.steps);
    forwardWorker?.dispose();
    forwardWorker = undefined;

    const stepRuns: Run[] = [["tfjs", singleStep]];
    if (torch) stepRuns.push(["torch", () => torch.step()]);
    const addTrainer = async (name: string, trainer: Trainer) => {
      trainers.push(trainer);
      for (let i = 0; i < c.warmup; i++) await trainer.step(batch, options);
      stepRuns.push([name, async () => void await trainer.step(batch, options)]);
    };
    if (c.threads >= 2) {
      await addTrainer("threaded", await DataParallelTrainer.create(spec, adam, 1, c.threads, c.microBatch));
    }
    if (c.workers >= 2) await addTrainer("parallel", await createTrainer(spec, adam, c.workers));
    const steps = await alternately(stepRuns, c.steps);

    const imagesPerSecond = (t: Timing) => c.batch / (t.medianMs / 1000);
    const tfjs: TfjsStepFigures = {
      forward: forwards.tfjs,
      step: steps.tfjs,
      inference: inferences.tfjs,
      imagesPerSecond: imagesPerSecond(steps.tfjs),
      peakRssMb: singlePeakRssMb,
      tensorsAfterStep,
    };
    const versus = (step: Timing): StepVersusSingle => ({
      step,
      imagesPerSecond: imagesPerSecond(step),
      peakRssMb: peakRssMb(),
      speedup: imagesPerSecond(step) / tfjs.imagesPerSecond,
    });
    const dataParallel = steps.parallel ? { workers: c.workers, ...versus(steps.parallel) } : null;
    const threaded = steps.threaded
      ? { threads: c.threads, forward: forwards.threaded, inference: inferences.threaded, ...versus(steps.threaded) }
      : null;
    const params = model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a, b) => a! * b!, 1)!, 0);
    return { tfjs, dataParallel, threaded, params };
  } finally {
    forwardWorker?.dispose();
    tf.dispose([images, frameTensor]);
    await single.dispose();
    for (const trainer of trainers) await trainer.dispose();
  }
}

export async function benchTrainStep(c: TrainStepConfig, log: (line: string) => void): Promise<BenchResult> {
  const backend = currentBackend()?.name ?? tf.getBackend();
  const loadAverageStart = loadavg();
  const model = benchModelConfig(c);
  const loss = { ...DEFAULT_LOSS_OPTIONS, ...DEFAULT_TRAIN_CONFIG.loss };
  const spec = panopticTaskSpec({ model, loss });
  const padded: [number, number] = [paddedSize(c.frameHeight), paddedSize(c.frameWidth)];
  const batch = randomPanopticBatch(1, [c.batch, c.height, c.width], LABEL_SETS[model.labels]);
  const frame = inferenceFrame(c.frameHeight, c.frameWidth, padded, LABEL_SETS[model.labels]);
  const threadedText = c.threads >= 2 ? `, one worker with ${c.threads} threads` : "";
  const parallelText = c.workers >= 2 ? ` and over ${c.workers} data-parallel workers` : "";
  log(
    `train-step: Panoptic-DeepLab (${model.encoder}, decoder kernel ${model.decoderKernel}, ` +
      `${model.pretrained ? "pretrained" : "random"} encoder); tfjs ${backend}, one thread${threadedText}` +
      `${parallelText}; batch ${c.batch} of ${c.height}x${c.width}, inference frame ${c.frameWidth}x${c.frameHeight}`,
  );
  let torch: TrainStepData["torch"] = { skipped: "--torch off" };
  let torchLabel = "not run (--torch off)";
  let peer: TorchPeer | undefined;
  if (c.torch === "auto") {
    const found = await torchVersion(c.python);
    if ("version" in found) {
      log(`train-step: PyTorch ${found.version} CPU, ${c.torchThreads} threads, timed alternately with tfjs`);
      peer = await TorchPeer.start({
        model: torchTwinModel(model),
        loss,
        adam: { learningRate: c.learningRate },
        clipNorm: DEFAULT_TRAIN_CONFIG.clipNorm,
        threads: c.torchThreads,
        warmup: c.warmup,
        batch,
        frame: padded,
      }, c.python);
      torchLabel = `PyTorch ${found.version} CPU (tools/bench/torch_peer.py)`;
    } else {
      torch = { skipped: found.missing };
      torchLabel = `not run: ${found.missing}`;
    }
  }
  let measured;
  try {
    measured = await measure(spec, c, batch, frame, peer);
    if (peer) torch = await peer.finish();
  } finally {
    peer?.kill();
  }
  const { tfjs, dataParallel, threaded, params } = measured;
  const forwardGflop = c.batch * await imageGflop(model, c.height, c.width);
  const inference = {
    frame: [c.frameHeight, c.frameWidth] as [number, number],
    padded,
    gflop: await imageGflop(model, ...padded),
  };
  const perSecond = (gflop: number, ms: number) => round(gflop / (ms / 1000));
  const ratios = "stepMs" in torch
    ? {
      forward: tfjs.forward.medianMs / torch.forwardMs,
      step: tfjs.step.medianMs / torch.stepMs,
      inference: tfjs.inference.medianMs / torch.inferMs,
      threadedForward: threaded ? threaded.forward.medianMs / torch.forwardMs : null,
      threadedStep: threaded ? threaded.step.medianMs / torch.stepMs : null,
      threadedInference: threaded ? threaded.inference.medianMs / torch.inferMs : null,
    }
    : null;
  const data: TrainStepData = {
    config: c,
    backend,
    model,
    loss,
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
    forwardGflop,
    inference,
  };
  const full = (label: string, forwardMs: number, step: Omit<StepVersusSingle, "speedup">, inferMs: number) => [
    label,
    round(forwardMs),
    perSecond(forwardGflop, forwardMs),
    round(step.step.medianMs),
    round(step.imagesPerSecond, 2),
    round(step.step.coresUsed, 2),
    round(step.peakRssMb),
    round(inferMs),
    perSecond(inference.gflop, inferMs),
  ];
  const rows: BenchResult["rows"] = [
    full(`tfjs ${backend}, 1 thread`, tfjs.forward.medianMs, tfjs, tfjs.inference.medianMs),
  ];
  if (threaded) {
    const label = `tfjs ${backend}, 1 worker x ${threaded.threads} threads (step speed-up x${
      round(threaded.speedup, 2)
    })`;
    rows.push(full(label, threaded.forward.medianMs, threaded, threaded.inference.medianMs));
  }
  if (dataParallel) {
    rows.push([
      `tfjs ${backend}, ${dataParallel.workers} workers (speed-up x${round(dataParallel.speedup, 2)})`,
      "",
      "",
      round(dataParallel.step.medianMs),
      round(dataParallel.imagesPerSecond, 2),
      round(dataParallel.step.coresUsed, 2),
      round(dataParallel.peakRssMb),
      "",
      "",
    ]);
  }
  if ("stepMs" in torch && ratios) {
    rows.push([
      `PyTorch CPU, ${torch.threads} threads`,
      round(torch.forwardMs),
      perSecond(forwardGflop, torch.forwardMs),
      round(torch.stepMs),
      round(torch.imagesPerSecond, 2),
      round(torch.stepCoresUsed, 2),
      round(torch.peakRssMb),
      round(torch.inferMs),
      perSecond(inference.gflop, torch.inferMs),
    ]);
    const ratioRow = (label: string, forward: number | null, step: number | null, infer: number | null) => [
      label,
      ...[forward, "", step, "", "", "", infer, ""].map((v) => typeof v === "number" ? round(v, 2) : v ?? ""),
    ];
    rows.push(ratioRow("ratio tfjs 1 thread / PyTorch", ratios.forward, ratios.step, ratios.inference));
    if (threaded) {
      rows.push(ratioRow(
        `ratio tfjs ${c.threads} threads / PyTorch`,
        ratios.threadedForward,
        ratios.threadedStep,
        ratios.threadedInference,
      ));
    }
  }
  return {
    section: "train-step",
    methodology: methodology(c, data, torchLabel),
    headers: [
      "setting",
      "forward ms",
      "forward GFLOP/s",
      "train step ms",
      "images/s",
      "cores used (step)",
      "peak RSS MB",
      `frame ms (${c.frameWidth}x${c.frameHeight})`,
      "frame GFLOP/s",
    ],
    rows,
    data,
  };
}

export const trainStepSection: BenchSection = {
  name: "train-step",
  summary: "forward, training-step and full-frame inference time of the trained Panoptic-DeepLab: tfjs (1 thread, " +
    "T threads, N workers) vs PyTorch CPU",
  flags: {
    height: { type: "string", default: String(DEFAULT_TRAIN_CONFIG.crop[0]) },
    width: { type: "string", default: String(DEFAULT_TRAIN_CONFIG.crop[1]) },
    batch: { type: "string", default: String(DEFAULT_TRAIN_CONFIG.batchSize) },
    "micro-batch": { type: "string", default: String(DEFAULT_TRAIN_CONFIG.microBatch) },
    workers: { type: "string", default: "2" },
    threads: { type: "string", default: String(defaultWasmThreads()) },
    warmup: { type: "string", default: "2" },
    steps: { type: "string", default: "5" },
    encoder: { type: "string", default: DEFAULT_TRAIN_CONFIG.model.encoder ?? DEFAULT_MODEL_CONFIG.encoder },
    "decoder-kernel": {
      type: "string",
      default: String(DEFAULT_TRAIN_CONFIG.model.decoderKernel ?? DEFAULT_MODEL_CONFIG.decoderKernel),
    },
    "random-init": { type: "boolean", default: false },
    lr: { type: "string", default: String(DEFAULT_TRAIN_CONFIG.learningRate) },
    "frame-height": { type: "string", default: "375" },
    "frame-width": { type: "string", default: "1242" },
    torch: { type: "string", default: "auto" },
    "torch-threads": { type: "string", default: "2" },
    python: { type: "string", default: DEFAULT_TORCH_PYTHON },
  },
  run: (flags, log) => benchTrainStep(trainStepConfig(flags), log),
};
