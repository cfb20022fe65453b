// Reads the run records the report is built from: evaluation records (lib/eval/record.ts), the newest benchmark
// record of a section (tools/bench/results/<timestamp>-<section>.json) and a training run's JSONL (via the trainer).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchResult } from "../bench/section.ts";
import type { EvalRecord } from "../../lib/eval/record.ts";

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch (e) {
    throw new Error(`${path}: not a readable JSON record (${e instanceof Error ? e.message : e})`);
  }
}

/** The evaluation record at `path`, or null when it does not exist (yet). */
export function readEvalRecord(path: string): EvalRecord | null {
  return existsSync(path) ? readJson<EvalRecord>(path) : null;
}

export interface DatedBench {
  file: string;
  result: BenchResult & { date?: string };
}

/** The newest record of `section` in `dir` (file names start with a sortable timestamp), or null. */
export function newestBenchRecord(dir: string, section: string): DatedBench | null {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).filter((f) => f.endsWith(`-${section}.json`)).sort();
  if (files.length === 0) return null;
  const file = join(dir, files[files.length - 1]);
  return { file, result: readJson<BenchResult & { date?: string }>(file) };
}
