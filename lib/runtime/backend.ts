// Picks the TensorFlow.js backend at run time and logs the choice once.
// Order: tensorflow (tfjs-node-gpu / tfjs-node, when installed) → webgpu (real GPU adapter only) → wasm → cpu.
// PANOPTIC_BACKEND=<name> (or the `force` option) forces one and fails clearly when it cannot start; a forced webgpu
// also runs on a software adapter (Mesa's llvmpipe), with a warning that it is slow.
// PANOPTIC_WASM_THREADS=<n> (or the `wasmThreads` option) runs wasm on n threads (lib/runtime/wasm_threads.ts).
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-cpu";
import { getThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { registerTrainingKernels } from "./kernels/mod.ts";
import { startWasm } from "./wasm_threads.ts";

// Silences the "install the node backend" banner and skips debug-only checks.
tf.enableProdMode();

export const BACKENDS = ["tensorflow", "webgpu", "wasm", "cpu"] as const;
export type BackendName = typeof BACKENDS[number];

export interface BackendChoice {
  name: BackendName;
  reason: string;
}

export interface ProbeSettings {
  /** Threads of the wasm backend; undefined = as already running, else every core. */
  wasmThreads?: number;
  /** The backend was forced: webgpu then also starts on a software adapter. */
  forced?: boolean;
  /** Where a probe's warnings go. */
  log?: (line: string) => void;
}

/** A probe starts one backend, or says why it cannot (returns the reason as a string). */
export type Probe = (settings: ProbeSettings) => Promise<true | string>;

const require = createRequire(import.meta.url);

/** Optional native packages, in order of preference. They are not in deno.json: a user adds them. */
const NATIVE_PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"];

async function probeTensorflow(): Promise<true | string> {
  const reasons: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    let entry: string;
    try {
      entry = require.resolve(pkg);
    } catch {
      reasons.push(`${pkg} is not installed`);
      continue;
    }
    try {
      await import(pathToFileURL(entry).href);
      if (await tf.setBackend("tensorflow")) return true;
      reasons.push(`${pkg} loaded but its backend did not start`);
    } catch (e) {
      reasons.push(`${pkg} failed to load (${firstLine(e)})`);
    }
  }
  return reasons.join("; ");
}

export interface WebgpuAdapter {
  /** The adapter's description ("llvmpipe (LLVM 15.0.6, 256 bits)", a GPU's name), else "unknown adapter". */
  description: string;
  /** A CPU implementation (Mesa's llvmpipe, SwiftShader): it works but is far slower than any GPU. */
  software: boolean;
}

/** The WebGPU adapter Deno offers, or why there is none. */
export async function webgpuAdapter(): Promise<WebgpuAdapter | string> {
  // Mesa's Vulkan drivers print an error for every process when this is unset.
  if (Deno.build.os === "linux" && !Deno.env.get("XDG_RUNTIME_DIR")) Deno.env.set("XDG_RUNTIME_DIR", runtimeDir());
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return "navigator.gpu is not available";
  const adapter = await Promise.race([
    gpu.requestAdapter(),
    new Promise((resolve) => setTimeout(() => resolve(null), 5000)),
  ]) as { info?: { isFallbackAdapter?: boolean; description?: string } } | null;
  if (!adapter) return "no WebGPU adapter";
  const description = adapter.info?.description || "unknown adapter";
  const software = !!adapter.info?.isFallbackAdapter || /llvmpipe|lavapipe|swiftshader|software/i.test(description);
  return { description, software };
}

/** A private runtime folder for XDG_RUNTIME_DIR (mode 700, as the XDG spec asks). */
function runtimeDir(): string {
  const dir = join(Deno.env.get("TMPDIR") ?? "/tmp", `xdg-runtime-${Deno.uid?.() ?? "user"}`);
  Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Starts webgpu on a hardware adapter; forced, also on a software one, with a warning. */
async function probeWebgpu({ forced, log }: ProbeSettings): Promise<true | string> {
  const adapter = await webgpuAdapter();
  if (typeof adapter === "string") return adapter;
  if (adapter.software) {
    if (!forced) return `WebGPU adapter is software only (${adapter.description})`;
    log?.(
      `tfjs backend: warning: the WebGPU adapter is software only (${adapter.description}): webgpu runs on the CPU, ` +
        "far slower than on a GPU and than the wasm backend",
    );
  }
  await import("@tensorflow/tfjs-backend-webgpu");
  return (await tf.setBackend("webgpu")) ? true : `webgpu backend did not start on ${adapter.description}`;
}

/** Folder holding the wasm binaries of the installed @tensorflow/tfjs-backend-wasm package. */
export function wasmBinaryDir(): string {
  return join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm")), "/");
}

async function probeWasm({ wasmThreads }: ProbeSettings): Promise<true | string> {
  const dir = wasmBinaryDir();
  setWasmPaths(dir);
  return (await startWasm(wasmThreads, dir)) ? true : "wasm backend did not start";
}

async function probeCpu(): Promise<true | string> {
  return (await tf.setBackend("cpu")) ? true : "cpu backend did not start";
}

export const DEFAULT_PROBES: Record<BackendName, Probe> = {
  tensorflow: probeTensorflow,
  webgpu: probeWebgpu,
  wasm: probeWasm,
  cpu: probeCpu,
};

let current: BackendChoice | undefined;

export interface InitOptions {
  /** Force a backend; defaults to the PANOPTIC_BACKEND environment variable. */
  force?: string;
  /**
   * Threads of the wasm backend (fixed once it has started); defaults to PANOPTIC_WASM_THREADS, else the running
   * count, else every core.
   */
  wasmThreads?: number;
  /** Replace probes (tests simulate a missing optional backend this way). */
  probes?: Partial<Record<BackendName, Probe>>;
  log?: (line: string) => void;
}

/** Starts the best available backend (or the forced one), registers our kernels, logs once. */
export async function initBackend(options: InitOptions = {}): Promise<BackendChoice> {
  const force = options.force ?? Deno.env.get("PANOPTIC_BACKEND") ?? "";
  const probes = { ...DEFAULT_PROBES, ...options.probes };
  const log = options.log ?? ((line: string) => console.error(line));
  const settings = { wasmThreads: options.wasmThreads ?? wasmThreadsFromEnv(), log };
  let choice: BackendChoice;
  if (force) {
    if (!(BACKENDS as readonly string[]).includes(force)) {
      throw new Error(`PANOPTIC_BACKEND=${force} is not a backend; use one of ${BACKENDS.join(", ")}`);
    }
    const name = force as BackendName;
    const ok = await probes[name]({ ...settings, forced: true });
    if (ok !== true) throw new Error(`backend ${name} was forced but cannot start: ${ok}`);
    choice = { name, reason: "forced by PANOPTIC_BACKEND" };
  } else {
    const skipped: string[] = [];
    let found: BackendName | undefined;
    for (const name of BACKENDS) {
      const ok = await probes[name](settings);
      if (ok === true) {
        found = name;
        break;
      }
      skipped.push(`${name}: ${ok}`);
    }
    if (!found) throw new Error(`no tfjs backend could start (${skipped.join("; ")})`);
    choice = { name: found, reason: skipped.length ? `skipped ${skipped.join("; ")}` : "first choice" };
  }
  await tf.ready();
  await registerTrainingKernels();
  if (current?.name !== choice.name) log(`tfjs backend: ${describeBackend(choice.name)} (${choice.reason})`);
  current = choice;
  return choice;
}

function wasmThreadsFromEnv(): number | undefined {
  const text = Deno.env.get("PANOPTIC_WASM_THREADS");
  if (!text) return undefined;
  const threads = Number(text);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`PANOPTIC_WASM_THREADS=${text} is not a positive integer`);
  }
  return threads;
}

/** The backend's name, with its thread count for wasm ("wasm, 2 threads"). */
function describeBackend(name: string): string {
  if (name !== "wasm") return name;
  const threads = getThreadsCount();
  return `wasm, ${threads} thread${threads === 1 ? "" : "s"}`;
}

/** The backend chosen by the last initBackend call, if any. */
export function currentBackend(): BackendChoice | undefined {
  return current;
}

/**
 * The backend a worker started from this thread should force (initBackend's `force`): this thread's, else what
 * PANOPTIC_BACKEND says, else "" (the worker chooses as initBackend does).
 */
export function backendForWorkers(): string {
  return currentBackend()?.name ?? Deno.env.get("PANOPTIC_BACKEND") ?? "";
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split("\n")[0];
}
