// `deno task bench`: runs the benchmark sections (tools/bench/sections.ts) on the best tfjs backend (wasm: one
// thread here; train-step runs its threaded setting in a worker), prints their tables with methodology and writes
// tools/bench/results/<timestamp>-<section>.json. `--help` lists sections and flags.
import { initBackend } from "../../lib/runtime/backend.ts";
import { runBench } from "../bench/run.ts";
import { BENCH_SECTIONS } from "../bench/sections.ts";

try {
  if (!Deno.args.includes("--help") && !Deno.args.includes("-h")) await initBackend({ wasmThreads: 1 });
  await runBench(Deno.args, BENCH_SECTIONS);
} catch (e) {
  console.error(`bench failed: ${e instanceof Error ? e.message : e}`);
  Deno.exit(1);
}
// Workers (data-parallel sections) are terminated, but tfjs may keep timers alive: exit explicitly.
Deno.exit(0);
