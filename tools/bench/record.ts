// Prints a bench section's result (table + methodology) and writes it atomically to
// <dir>/<timestamp>-<section>.json.
import { join } from "node:path";
import { writeFileAtomic } from "../../lib/io/atomic_write.ts";
import { markdownTable } from "../../lib/viz/markdown_table.ts";
import type { BenchResult } from "./section.ts";

/** "2026-11-24T20-15-03Z": sortable and safe in file names. */
export function fileTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, "Z").replaceAll(":", "-");
}

export function formatBenchResult(result: BenchResult): string {
  return [
    `## ${result.section}`,
    "",
    markdownTable(result.headers, result.rows, 2),
    "",
    "Methodology:",
    ...result.methodology.map((line) => `- ${line}`),
  ].join("\n");
}

/** Writes the result with its date; returns the file path. */
export function writeBenchRecord(dir: string, result: BenchResult, date: Date): string {
  const path = join(dir, `${fileTimestamp(date)}-${result.section}.json`);
  writeFileAtomic(path, JSON.stringify({ date: date.toISOString(), ...result }, null, 2) + "\n");
  return path;
}
