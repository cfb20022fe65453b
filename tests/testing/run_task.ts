// Test-only: runs a deno task's entry point (tools/tasks/<file>) as a user would, in the project root on the wasm
// backend, with its exit code and output captured and its peak resident memory polled (Linux /proc VmHWM).
import { join } from "node:path";
import { PROJECT_ROOT } from "../../lib/io/project.ts";

export interface TaskRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Peak resident memory in bytes; null where /proc is missing. */
  peakBytes: number | null;
}

export async function runTask(file: string, args: readonly string[]): Promise<TaskRun> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(PROJECT_ROOT, "tools", "tasks", file), ...args],
    cwd: PROJECT_ROOT,
    env: { PANOPTIC_BACKEND: "wasm" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let peakKb: number | null = null;
  const poll = setInterval(() => {
    try {
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${child.pid}/status`))?.[1]);
      if (kb) peakKb = Math.max(peakKb ?? 0, kb);
    } catch { /* not Linux, or the process has exited */ }
  }, 100);
  const out = await child.output();
  clearInterval(poll);
  const text = new TextDecoder();
  return {
    code: out.code,
    stdout: text.decode(out.stdout),
    stderr: text.decode(out.stderr),
    peakBytes: peakKb === null ? null : peakKb * 1024,
  };
}
