import assert from "node:assert/strict";
import { initBackend } from "./backend.ts";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { relativeError } from "./kernels/testing/kernel_check.ts";

interface Run {
  threads: number;
  conv: number[];
  filterGradient: number[];
  matMul: number[];
}

async function runWithThreads(threads: number): Promise<Run> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "lib/runtime/testing/wasm_threads_run.ts"],
    env: { PANOPTIC_WASM_THREADS: String(threads) },
    signal: AbortSignal.timeout(60_000),
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, `wasm_threads_run.ts with ${threads} thread(s) failed or did not exit: ${stderr}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("wasm on 2 threads computes what 1 thread does, and the process exits by itself", async () => {
  const [one, two] = await Promise.all([runWithThreads(1), runWithThreads(2)]);
  assert.equal(one.threads, 1);
  assert.equal(two.threads, 2);
  for (const key of ["conv", "filterGradient", "matMul"] as const) {
    assert.equal(two[key].length, one[key].length, key);
    assert.ok(relativeError(two[key], one[key]) <= 1e-5, `${key}: relative error ${relativeError(two[key], one[key])}`);
  }
});

Deno.test("a second thread count, or a bad PANOPTIC_WASM_THREADS, is a clear error", async () => {
  await initBackend({ force: "wasm", log: () => {} });
  const running = getThreadsCount();
  await assert.rejects(
    initBackend({ force: "wasm", wasmThreads: running + 1, log: () => {} }),
    new RegExp(`already runs ${running} thread\\(s\\); the count is fixed once it has started`),
  );
  Deno.env.set("PANOPTIC_WASM_THREADS", "two");
  try {
    await assert.rejects(initBackend({ force: "wasm", log: () => {} }), /PANOPTIC_WASM_THREADS=two is not a positive/);
  } finally {
    Deno.env.delete("PANOPTIC_WASM_THREADS");
  }
});
