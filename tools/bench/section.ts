// What a benchmark section is: named flags with defaults, and a run that returns a printable table, the
// methodology it used, and its raw figures for tools/bench/results/*.json. `deno task bench` runs the registered ones.
import type { ParseArgsOptionsConfig } from "node:util";
import type { Cell } from "../../lib/viz/markdown_table.ts";

export type FlagValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface BenchResult {
  section: string;
  /** How the figures were measured (warm-up, repeats, statistic, sizes); printed with them and stored. */
  methodology: string[];
  headers: string[];
  rows: Cell[][];
  /** Every figure, machine-readable. */
  data: unknown;
}

export interface BenchSection {
  name: string;
  summary: string;
  /** This section's command-line flags (string flags carry their defaults as strings). */
  flags: ParseArgsOptionsConfig;
  run(flags: FlagValues, log: (line: string) => void): Promise<BenchResult>;
}

/** Reads a positive integer flag, naming the flag when it is not one. */
export function intFlag(flags: FlagValues, name: string, min = 1): number {
  const raw = flags[name];
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${raw}`);
  return value;
}

/** `x` rounded to `digits` decimals, as a number (for table cells and JSON). */
export function round(x: number, digits = 1): number {
  return Number(x.toFixed(digits));
}
