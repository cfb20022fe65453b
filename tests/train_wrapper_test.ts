// `npx deno task train` stopped by a SIGTERM to its outermost wrapper: the training (two processes further down)
// stops with a checkpoint and prints the command that resumes it, every flag included.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../lib/io/project.ts";
import { TINY_TRAINING } from "./testing/tiny_training.ts";

/** Pids of the training processes (deno run tools/tasks/train.ts) writing into `runs`. */
function trainingPids(runs: string): number[] {
  return readdirSync("/proc").filter((name) => /^\d+$/.test(name)).filter((pid) => {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      return args.includes("run") && args.some((a) => a.endsWith("tools/tasks/train.ts")) && args.includes(runs);
    } catch {
      return false;
    }
  }).map(Number);
}

async function waitFor(what: () => boolean, seconds: number): Promise<boolean> {
  for (const end = performance.now() + seconds * 1000; performance.now() < end;) {
    if (what()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return what();
}

Deno.test({
  name: "SIGTERM to the npx-like wrapper of deno task train stops the training with a checkpoint and a resume hint",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const dir = mkdtempSync(join(tmpdir(), "train-wrapper-"));
    const runs = join(dir, "runs");
    const config = join(dir, "long.json");
    writeFileSync(
      config,
      JSON.stringify({ name: "long", ...TINY_TRAINING, steps: 500 }),
    );
    const run = join(runs, "long");
    const wrapper = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "lib/train/testing/task_wrapper.ts", "--config", config, "--runs", runs, "--threads", "1"],
      cwd: PROJECT_ROOT,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // The pipes stay open until the training, which inherits them, has ended too.
    const [stdout, stderr] = [new Response(wrapper.stdout).text(), new Response(wrapper.stderr).text()];
    const records = join(run, "train.jsonl");
    try {
      const started = await waitFor(() => existsSync(records) && readFileSync(records, "utf8").includes("\n"), 120);
      assert.ok(started, "the training never recorded a step");
      wrapper.kill("SIGTERM");
      assert.equal((await wrapper.status).signal, "SIGTERM");
      const stopped = await waitFor(() => trainingPids(runs).length === 0, 60);
      assert.ok(stopped, `the training (pid ${trainingPids(runs)}) trained on for 60 s after its wrapper ended`);
      const out = await stdout;
      const step = Number(/stopped by a signal at step (\d+)/.exec(out)?.[1]);
      assert.ok(step >= 1 && step < 500, `${out}\n${await stderr}`);
      assert.match(
        out,
        new RegExp(`continue with: deno task train --config ${config} --runs ${runs} --threads 1 --resume`),
      );
      assert.match(await stderr, /the wrapper process \d+ that started this one has ended: stopping as on SIGHUP/);
      assert.equal(readFileSync(join(run, "checkpoints", "latest"), "utf8").trim(), `step-${step}`);
      assert.ok(!existsSync(join(run, "model")) && !existsSync(join(run, "train.lock")));
    } finally {
      for (const pid of trainingPids(runs)) Deno.kill(pid, "SIGKILL");
      try {
        wrapper.kill("SIGKILL");
      } catch {
        // already ended
      }
      await Promise.allSettled([wrapper.status, stdout, stderr]);
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
