// Runs bench/torch_peer.py (the PyTorch CPU peer of the train-step section) when torch imports, and reads its
// JSON result.
import { join } from "node:path";
import { PROJECT_ROOT } from "../setup/data_links.ts";
import { DEFAULT_PYTHON, pythonModuleVersion, runPythonPeer } from "./python_process.ts";

export const DEFAULT_TORCH_PYTHON = DEFAULT_PYTHON;
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

/** The torch version when `python` can import torch, else the reason it cannot. */
export function torchVersion(python = DEFAULT_TORCH_PYTHON): Promise<{ version: string } | { missing: string }> {
  return pythonModuleVersion(python, "torch");
}

export function runTorchPeer(args: TorchPeerArgs, python = DEFAULT_TORCH_PYTHON): Promise<TorchPeerResult> {
  const flags = Object.entries(args).flatMap(([k, v]) => [`--${k}`, String(v)]);
  return runPythonPeer<TorchPeerResult>(python, TORCH_PEER_SCRIPT, flags);
}
