// Runs bench/torch_peer.py (the PyTorch CPU peer of the train-step section) when torch imports, and reads its
// JSON result.
import { join } from "node:path";
import { PROJECT_ROOT } from "../setup/data_links.ts";

export const DEFAULT_TORCH_PYTHON = "/usr/bin/python3";
export const TORCH_PEER_SCRIPT = join(PROJECT_ROOT, "bench", "torch_peer.py");

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
  steps: number;
  threads: number;
}

async function run(python: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const out = await new Deno.Command(python, { args, stdout: "piped", stderr: "piped" }).output();
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
  } catch (e) {
    return { code: -1, stdout: "", stderr: e instanceof Error ? e.message : String(e) };
  }
}

/** The torch version when `python` can import torch, else the reason it cannot. */
export async function torchVersion(python = DEFAULT_TORCH_PYTHON): Promise<{ version: string } | { missing: string }> {
  const r = await run(python, ["-c", "import torch; print(torch.__version__)"]);
  if (r.code === 0) return { version: r.stdout.trim() };
  return { missing: `${python} cannot import torch (${r.stderr.trim().split("\n").at(-1)})` };
}

export async function runTorchPeer(args: TorchPeerArgs, python = DEFAULT_TORCH_PYTHON): Promise<TorchPeerResult> {
  const flags = Object.entries(args).flatMap(([k, v]) => [`--${k}`, String(v)]);
  const r = await run(python, [TORCH_PEER_SCRIPT, ...flags]);
  if (r.code !== 0) throw new Error(`${TORCH_PEER_SCRIPT} failed (exit ${r.code}): ${r.stderr.trim().slice(-2000)}`);
  try {
    return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as TorchPeerResult;
  } catch {
    throw new Error(`${TORCH_PEER_SCRIPT} printed no JSON result: ${r.stdout.slice(-500)}`);
  }
}
