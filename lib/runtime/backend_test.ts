import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "./backend.ts";

const quiet = { log: () => {} };

Deno.test("forcing cpu and wasm starts exactly that backend", async () => {
  for (const name of ["cpu", "wasm"] as const) {
    const choice = await initBackend({ ...quiet, force: name });
    assert.deepEqual(choice, { name, reason: "forced by PANOPTIC_BACKEND" });
    assert.equal(tf.getBackend(), name);
    assert.deepEqual(Array.from(await tf.add(tf.tensor1d([1, 2]), 1).data()), [2, 3]);
  }
});

Deno.test("an unknown forced backend is a clear error", async () => {
  await assert.rejects(initBackend({ ...quiet, force: "cuda" }), /PANOPTIC_BACKEND=cuda is not a backend/);
});

Deno.test("forcing the native tensorflow backend when it is not installed names the missing packages", async () => {
  await assert.rejects(
    initBackend({ ...quiet, force: "tensorflow" }),
    /backend tensorflow was forced but cannot start: @tensorflow\/tfjs-node-gpu is not installed/,
  );
});

Deno.test("without a working optional backend the choice falls back in order and says why", async () => {
  const lines: string[] = [];
  const choice = await initBackend({
    force: "",
    log: (l) => lines.push(l),
    probes: {
      tensorflow: () => Promise.resolve("@tensorflow/tfjs-node is not installed"),
      webgpu: () => Promise.resolve("no WebGPU adapter"),
      wasm: () => Promise.resolve("wasm binaries missing"),
    },
  });
  assert.equal(choice.name, "cpu");
  assert.equal(tf.getBackend(), "cpu");
  assert.match(choice.reason, /tensorflow: @tensorflow\/tfjs-node is not installed; webgpu: no WebGPU adapter; wasm/);
});

Deno.test("the default choice on this machine skips the missing native packages", async () => {
  const choice = await initBackend({ ...quiet, force: "", probes: { webgpu: () => Promise.resolve("skipped") } });
  assert.equal(choice.name, "wasm");
  assert.match(choice.reason, /tfjs-node-gpu is not installed/);
});
