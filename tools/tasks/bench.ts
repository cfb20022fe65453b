// `deno task bench`: runs the benchmark sections (tools/bench/sections.ts) on the best tfjs backend (wasm: one
// thread here; train-step runs its threaded setting in a worker), prints their tables with methodology and writes
// tools/bench/results/<timestamp>-<section>.json. `--help` lists sections and flags.
import { initBackend } from "../../lib/runtime/backend.ts";
import { benchOptions, benchUsage, runBenchSections, selectSections } from "../bench/run.ts";
import { BENCH_SECTIONS } from "../bench/sections.ts";
import { parseTaskArgs } from "./args.ts";

const args = parseTaskArgs("bench", benchUsage(BENCH_SECTIONS), benchOptions(BENCH_SECTIONS));
const selected = args.check(() => selectSections(args.values, BENCH_SECTIONS));

try {
  await initBackend({ wasmThreads: 1 });
  await runBenchSections(args.values, selected);
} catch (e) {
  console.error(`bench failed: ${e instanceof Error ? e.message : e}`);
  Deno.exit(1);
}
// Workers (data-parallel sections) are terminated, but tfjs may keep timers alive: exit explicitly.
Deno.exit(0);
