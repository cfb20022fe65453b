// The PyTorch CPU peer of the train-step section (tools/bench/torch_peer.py): the twin of the Panoptic-DeepLab model
// that training builds, its losses and Adam, as a session: one Python process answering "warmup", "forward", "infer",
// "step" and "summary" commands line by line, so that its timed runs can interleave with the tfjs ones. Also the
// twin's description (parameters, heads' shapes, FLOPs), to check that it is the same network as the tfjs model.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../lib/io/project.ts";
import { LABEL_SETS } from "../../lib/data/labels/descriptor.ts";
import type { PanopticDeepLabConfig } from "../../lib/model/panoptic_deeplab.ts";
import type { LossOptions } from "../../lib/train/losses.ts";
import type { AdamConfig, ArrayBatch, NdArray } from "../../lib/train/train_task.ts";
import { median } from "./measure.ts";
import { DEFAULT_PYTHON, pythonModuleVersion, runPythonPeer } from "./python_process.ts";

export const DEFAULT_TORCH_PYTHON = DEFAULT_PYTHON;
export const TORCH_PEER_SCRIPT = join(PROJECT_ROOT, "tools", "bench", "torch_peer.py");

/** What the twin needs of the model configuration. */
export type TorchTwinModel =
  & Pick<
    PanopticDeepLabConfig,
    | "encoder"
    | "decoderKernel"
    | "decoderChannels"
    | "instanceChannels"
    | "semanticLowLevel"
    | "instanceLowLevel"
    | "asppRates"
  >
  & { classes: number };

export function torchTwinModel(c: PanopticDeepLabConfig): TorchTwinModel {
  return {
    encoder: c.encoder,
    decoderKernel: c.decoderKernel,
    decoderChannels: c.decoderChannels,
    instanceChannels: c.instanceChannels,
    semanticLowLevel: c.semanticLowLevel,
    instanceLowLevel: c.instanceLowLevel,
    asppRates: c.asppRates,
    classes: c.numClasses ?? LABEL_SETS[c.labels].classes.length,
  };
}

/** The session's setting; the peer reads the batch from files (the same arrays as the tfjs runs). */
export interface TorchPeerSpec {
  model: TorchTwinModel;
  loss: Required<LossOptions>;
  adam: AdamConfig;
  /** Gradients are scaled down to this global norm (0 = off), as training does. */
  clipNorm: number;
  threads: number;
  /** Untimed runs of each kind in "warmup". */
  warmup: number;
  batch: ArrayBatch;
  /** The inference frame's [height, width] (a multiple of 16: padded as lib/model/inference.ts pads). */
  frame: [number, number];
}

export interface TorchPeerResult {
  torch: string;
  threads: number;
  forwardMs: number;
  stepMs: number;
  /** One frame of the spec's `frame` size. */
  inferMs: number;
  forwardRunsMs: number[];
  stepRunsMs: number[];
  inferRunsMs: number[];
  /** Process CPU time / wall time over the timed steps (2 = both threads busy). */
  stepCoresUsed: number;
  imagesPerSecond: number;
  peakRssMb: number;
  trainableParameters: number;
}

/** The twin at one input size: what tools/bench/torch_peer.py --describe prints. */
export interface TorchTwinDescription {
  trainableParameters: number;
  /** Every trainable parameter's shape in tfjs' layout (kernels [kh, kw, in, out], depthwise [kh, kw, channels, 1]). */
  parameterShapes: number[][];
  /** The three heads, NHWC. */
  outputShapes: number[][];
  /**
   * Every convolution in the order it ran: "conv|depthwise <kh>x<kw> stride <s> dilation <d> <in>><out> <h>x<w>"
   * (output height and width).
   */
  convolutions: string[];
  /** The convolutions' multiply-adds x2 over the whole input batch (lib/model/summary.ts counts one image). */
  flops: number;
}

interface Run {
  ms: number;
  cpuMs: number;
}

/** The torch version when `python` can import torch, else the reason it cannot. */
export function torchVersion(python = DEFAULT_TORCH_PYTHON): Promise<{ version: string } | { missing: string }> {
  return pythonModuleVersion(python, "torch");
}

/** Builds the twin with random weights and describes it at `input` = [batch, height, width]. */
export function describeTorchTwin(
  model: TorchTwinModel,
  input: [number, number, number],
  python = DEFAULT_TORCH_PYTHON,
): Promise<TorchTwinDescription> {
  return runPythonPeer(python, TORCH_PEER_SCRIPT, ["--describe", "--spec", JSON.stringify({ model, input })]);
}

/** Writes the batch's arrays as raw little-endian files into `dir`; returns the peer's description of them. */
function writeBatch(dir: string, batch: ArrayBatch) {
  const arrays: Record<string, NdArray> = { images: batch.images, ...batch.targets };
  return Object.fromEntries(
    Object.entries(arrays).map(([name, a]) => {
      const file = join(dir, `${name}.bin`);
      writeFileSync(file, new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));
      const dtype = a.data instanceof Float32Array ? "float32" : a.data instanceof Int32Array ? "int32" : "uint8";
      return [name, { file, dtype, shape: a.shape }];
    }),
  );
}

export class TorchPeer {
  private readonly forwards: Run[] = [];
  private readonly steps: Run[] = [];
  private readonly infers: Run[] = [];

  private constructor(
    private readonly child: Deno.ChildProcess,
    private readonly lines: AsyncIterator<string>,
    private readonly writer: WritableStreamDefaultWriter<Uint8Array>,
    private readonly batch: number,
  ) {}

  /** Starts the peer (it builds the twin and reads the batch) and waits until it is ready. */
  static async start(spec: TorchPeerSpec, python = DEFAULT_TORCH_PYTHON): Promise<TorchPeer> {
    const dir = mkdtempSync(join(tmpdir(), "torch-peer-"));
    try {
      const args = { ...spec, batch: writeBatch(dir, spec.batch) };
      const child = new Deno.Command(python, {
        args: [TORCH_PEER_SCRIPT, "--spec", JSON.stringify(args)],
        stdin: "piped",
        stdout: "piped",
        stderr: "inherit",
      }).spawn();
      const peer = new TorchPeer(child, readLines(child.stdout), child.stdin.getWriter(), spec.batch.images.shape[0]);
      try {
        await peer.read("start");
      } catch (e) {
        peer.kill();
        throw e;
      }
      return peer;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Untimed warm-up runs (the spec's `warmup` forward passes, frames and steps). */
  async warmup(): Promise<void> {
    await this.command("warmup");
  }

  /** One timed forward pass of the batch (after an untimed one: see tools/bench/torch_peer.py). */
  async forward(): Promise<void> {
    this.forwards.push(await this.command("forward") as Run);
  }

  /** One timed forward pass of the inference frame (after an untimed one). */
  async infer(): Promise<void> {
    this.infers.push(await this.command("infer") as Run);
  }

  /** One timed training step (after an untimed one: see tools/bench/torch_peer.py). */
  async step(): Promise<void> {
    this.steps.push(await this.command("step") as Run);
  }

  /** Ends the session: medians of the timed runs, versions, peak RSS. */
  async finish(): Promise<TorchPeerResult> {
    const summary = await this.command("summary") as Pick<
      TorchPeerResult,
      "torch" | "threads" | "peakRssMb" | "trainableParameters"
    >;
    await this.writer.close();
    await this.child.status;
    const stepMs = median(this.steps.map((r) => r.ms));
    const sum = (runs: Run[], key: keyof Run) => runs.reduce((a, r) => a + r[key], 0);
    return {
      ...summary,
      forwardMs: median(this.forwards.map((r) => r.ms)),
      stepMs,
      inferMs: median(this.infers.map((r) => r.ms)),
      forwardRunsMs: this.forwards.map((r) => r.ms),
      stepRunsMs: this.steps.map((r) => r.ms),
      inferRunsMs: this.infers.map((r) => r.ms),
      stepCoresUsed: sum(this.steps, "cpuMs") / sum(this.steps, "ms"),
      imagesPerSecond: this.batch / (stepMs / 1000),
    };
  }

  /** Stops the process (after an error elsewhere). */
  kill(): void {
    try {
      this.child.kill();
    } catch {
      // already exited
    }
  }

  private async command(name: string): Promise<unknown> {
    await this.writer.write(new TextEncoder().encode(`${name}\n`));
    return await this.read(name);
  }

  private async read(what: string): Promise<unknown> {
    const { value, done } = await this.lines.next();
    if (done) throw new Error(`${TORCH_PEER_SCRIPT} exited before answering ${what} (its stderr is above)`);
    const reply = JSON.parse(value);
    if (reply.error) throw new Error(`${TORCH_PEER_SCRIPT}: ${reply.error}`);
    return reply;
  }
}

async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buffered = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      yield buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
    }
  }
}
