// Timing and memory helpers for benchmarks: median of timed repeats after warm-up runs, and peak resident memory.
import { readFileSync } from "node:fs";
import { cpuUsage } from "node:process";

export interface Timing {
  medianMs: number;
  runsMs: number[];
  /**
   * Process CPU time (user + system, all threads) over the timed runs divided by their wall time: about 1 for
   * one busy thread, less when other processes take the cores (a shared machine), up to the core count.
   */
  coresUsed: number;
}

/** Runs `fn` `warmup` times untimed, then `repeats` times timed; reports the median and every run. */
export async function timeRuns(fn: () => unknown, warmup: number, repeats: number): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  return (await interleavedRuns([fn], repeats))[0];
}

/**
 * Times several functions in turn (f0, f1, ..., f0, f1, ...) `repeats` times each, so that a load that drifts
 * over the run (a shared machine) affects all of them alike. No warm-up.
 */
export async function interleavedRuns(fns: (() => unknown)[], repeats: number): Promise<Timing[]> {
  const wall = fns.map(() => [] as number[]);
  const cpuMs = fns.map(() => 0);
  for (let r = 0; r < repeats; r++) {
    for (const [i, fn] of fns.entries()) {
      const cpuStart = cpuUsage();
      const start = performance.now();
      await fn();
      wall[i].push(performance.now() - start);
      const cpu = cpuUsage(cpuStart);
      cpuMs[i] += (cpu.user + cpu.system) / 1000;
    }
  }
  return wall.map((runsMs, i) => {
    const total = runsMs.reduce((a, b) => a + b, 0);
    return { medianMs: median(runsMs), runsMs, coresUsed: total > 0 ? cpuMs[i] / total : 0 };
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Peak resident set size of this process (all its threads, workers included) in MB: VmHWM on Linux. */
export function peakRssMb(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux: fall through to the current RSS
  }
  return Deno.memoryUsage().rss / 1024 / 1024;
}
