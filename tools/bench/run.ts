// Runs the selected bench sections: parses the command line (section flags included), prints each result with
// its methodology and writes tools/bench/results/<timestamp>-<section>.json.
import { join } from "node:path";
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { PROJECT_ROOT } from "../../lib/io/project.ts";
import { formatBenchResult, writeBenchRecord } from "./record.ts";
import type { BenchSection, FlagValues } from "./section.ts";

export const DEFAULT_RESULTS_DIR = join(PROJECT_ROOT, "tools", "bench", "results");

export function benchUsage(sections: readonly BenchSection[]): string {
  const flagText = (s: BenchSection) =>
    Object.entries(s.flags).map(([k, v]) => `--${k}${v.type === "string" ? ` <${v.default}>` : ""}`).join(" ");
  return [
    "deno task bench [--section <name>]... [--out <dir>] [section flags]",
    "  Runs benchmark sections (all by default), prints tables + methodology, writes <out>/<timestamp>-<section>.json",
    "  (default out: tools/bench/results).",
    ...sections.map((s) => `  ${s.name}: ${s.summary}\n    ${flagText(s)}`),
  ].join("\n");
}

/** The command-line flags of `deno task bench` with those of `sections`. */
export function benchOptions(sections: readonly BenchSection[]): ParseArgsOptionsConfig {
  return Object.assign({
    section: { type: "string", multiple: true },
    out: { type: "string", default: DEFAULT_RESULTS_DIR },
  }, ...sections.map((s) => s.flags));
}

/** The sections named by --section (all when none); throws naming an unknown one. */
export function selectSections(values: FlagValues, sections: readonly BenchSection[]): BenchSection[] {
  const names = (values.section as string[] | undefined) ?? sections.map((s) => s.name);
  const unknown = names.filter((n) => !sections.some((s) => s.name === n));
  if (unknown.length) {
    throw new Error(`unknown bench section ${unknown.join(", ")}; known: ${sections.map((s) => s.name).join(", ")}`);
  }
  return sections.filter((s) => names.includes(s.name));
}

/** Runs `selected` with the parsed flag `values`; returns the written JSON paths. */
export async function runBenchSections(
  values: FlagValues,
  selected: readonly BenchSection[],
  print: (text: string) => void = console.log,
  log: (line: string) => void = console.error,
): Promise<string[]> {
  const written: string[] = [];
  for (const section of selected) {
    const started = new Date();
    const result = await section.run(values, log);
    print(formatBenchResult(result));
    const path = writeBenchRecord(String(values.out), result, started);
    print(`\nwritten ${path}\n`);
    written.push(path);
  }
  return written;
}

/** Parses `args` (strict) and runs the selected sections; returns the written JSON paths (none for --help). */
export async function runBench(
  args: string[],
  sections: readonly BenchSection[],
  print: (text: string) => void = console.log,
  log: (line: string) => void = console.error,
): Promise<string[]> {
  const options = { ...benchOptions(sections), help: { type: "boolean", short: "h", default: false } } as const;
  const { values } = parseArgs({ args, options, strict: true });
  if (values.help) {
    print(benchUsage(sections));
    return [];
  }
  return await runBenchSections(values, selectSections(values, sections), print, log);
}
