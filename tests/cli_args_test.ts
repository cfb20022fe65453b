// Every task in tools/tasks/ as a subprocess: --help prints the usage and exits 0 without doing anything else (report
// --help runs no setup and no notebook); an unknown flag or a bad value prints one line `<task>: <problem>` and the
// usage, exits 2, no stack trace.
import assert from "node:assert/strict";
import { runTask } from "./testing/run_task.ts";

/** Entry file → the name its messages start with. */
const TASKS: Record<string, string> = {
  "setup.ts": "setup",
  "report.ts": "report",
  "train.ts": "train",
  "eval.ts": "eval",
  "predict.ts": "predict",
  "bench.ts": "bench",
  "pseudo_labels.ts": "pseudo-labels",
  "check_kitti.ts": "check_kitti",
};

/** A usage error: exit 2, nothing on stdout, `<task>: <problem>` then exactly the --help text on stderr. */
function assertUsageError(
  result: { code: number; stdout: string; stderr: string },
  task: string,
  problem: RegExp,
  usage: string,
) {
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout, "");
  const [first, ...rest] = result.stderr.split("\n");
  assert.ok(first.startsWith(`${task}: `), first);
  assert.match(first, problem);
  assert.equal(rest.join("\n"), usage);
  assert.doesNotMatch(result.stderr, /^\s+at /m, "no stack trace");
}

for (const [file, task] of Object.entries(TASKS)) {
  Deno.test(`${file}: --help prints only the usage (exit 0); --bogus is one line + usage (exit 2)`, async () => {
    const help = await runTask(file, ["--help"]);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^deno (task|run) /, "starts with the usage");
    assert.doesNotMatch(help.stdout + help.stderr, /^(setup: |executing |model |updated )/m, "does no work");
    const { code, stdout, stderr } = await runTask(file, ["-h"]);
    assert.deepEqual({ code, stdout, stderr }, { code: help.code, stdout: help.stdout, stderr: help.stderr });
    assertUsageError(await runTask(file, ["--bogus"]), task, /unknown flag --bogus$/, help.stdout);
  });
}

Deno.test("bad values and missing values are usage errors naming the flag", async () => {
  const usage = (await runTask("eval.ts", ["--help"])).stdout;
  for (
    const [args, problem] of [
      [["--frames", "-1"], /--frames must be a whole number ≥ 0, got "-1"/],
      [["--frames", "two"], /--frames must be a whole number ≥ 0, got "two"/],
      [["--frames"], /--frames needs a value/],
      [["--task", "depth"], /--task must be one of semantic, instance, panoptic, got "depth"/],
    ] as const
  ) {
    assertUsageError(await runTask("eval.ts", [...args]), "eval", problem, usage);
  }
  const predictUsage = (await runTask("predict.ts", ["--help"])).stdout;
  assertUsageError(await runTask("predict.ts", ["x.png", "--scale", "0"]), "predict", /--scale must be/, predictUsage);
  assertUsageError(await runTask("predict.ts", []), "predict", /no image given/, predictUsage);
  const trainUsage = (await runTask("train.ts", ["--help"])).stdout;
  assertUsageError(await runTask("train.ts", ["--workers", "1.5"]), "train", /--workers must be a whole/, trainUsage);
  assertUsageError(
    await runTask("train.ts", ["--config", "configs/none.json"]),
    "train",
    /configs\/none\.json: cannot read the config/,
    trainUsage,
  );
  const benchUsage = (await runTask("bench.ts", ["--help"])).stdout;
  assertUsageError(await runTask("bench.ts", ["--section", "nope"]), "bench", /unknown bench section nope/, benchUsage);
});
