// The PyTorch CPU peer of the train-step section (tools/bench/torch_peer.py) as a session: one Python process answering
// "warmup", "forward", "step" and "summary" commands line by line, so that its timed runs can interleave with the
// tfjs ones.
import { join } from "node:path";
import { PROJECT_ROOT } from "../../lib/io/project.ts";
import { median } from "./measure.ts";
import { DEFAULT_PYTHON, pythonModuleVersion } from "./python_process.ts";

export const DEFAULT_TORCH_PYTHON = DEFAULT_PYTHON;
export const TORCH_PEER_SCRIPT = join(PROJECT_ROOT, "tools", "bench", "torch_peer.py");

export interface TorchPeerResult {
  torch: string;
  threads: number;
  forwardMs: number;
  stepMs: number;
  forwardRunsMs: number[];
  stepRunsMs: number[];
  /** Process CPU time / wall time over the timed steps (2 = both threads busy). */
  stepCoresUsed: number;
  imagesPerSecond: number;
  peakRssMb: number;
  trainableParameters: number;
}

export interface TorchPeerArgs {
  height: number;
  width: number;
  batch: number;
  classes: number;
  warmup: number;
  threads: number;
}

interface Run {
  ms: number;
  cpuMs: number;
}

/** The torch version when `python` can import torch, else the reason it cannot. */
export function torchVersion(python = DEFAULT_TORCH_PYTHON): Promise<{ version: string } | { missing: string }> {
  return pythonModuleVersion(python, "torch");
}

export class TorchPeer {
  private readonly forwards: Run[] = [];
  private readonly steps: Run[] = [];

  private constructor(
    private readonly child: Deno.ChildProcess,
    private readonly lines: AsyncIterator<string>,
    private readonly writer: WritableStreamDefaultWriter<Uint8Array>,
    private readonly batch: number,
  ) {}

  /** Starts the peer (it builds the network) and waits until it is ready. */
  static async start(args: TorchPeerArgs, python = DEFAULT_TORCH_PYTHON): Promise<TorchPeer> {
    const child = new Deno.Command(python, {
      args: [TORCH_PEER_SCRIPT, ...Object.entries(args).flatMap(([k, v]) => [`--${k}`, String(v)])],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const lines = readLines(child.stdout);
    const peer = new TorchPeer(child, lines, child.stdin.getWriter(), args.batch);
    await peer.read("start");
    return peer;
  }

  /** Untimed warm-up runs (the peer's --warmup forward passes and steps). */
  async warmup(): Promise<void> {
    await this.command("warmup");
  }

  /** One timed forward pass (after an untimed one: see tools/bench/torch_peer.py). */
  async forward(): Promise<void> {
    this.forwards.push(await this.command("forward") as Run);
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
      forwardRunsMs: this.forwards.map((r) => r.ms),
      stepRunsMs: this.steps.map((r) => r.ms),
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
