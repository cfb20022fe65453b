import assert from "node:assert/strict";
import { WorkerClient } from "./worker_rpc.ts";
import type { EchoRequest } from "./testing/echo_worker.ts";

const echoWorker = () =>
  new WorkerClient<EchoRequest, { text: string }>(new URL("./testing/echo_worker.ts", import.meta.url), "echo worker");

Deno.test("a worker's replies come back in order; a handler's error rejects that request only", async () => {
  const client = echoWorker();
  try {
    const answers = [client.call({ type: "echo", text: "a" }), client.call({ type: "echo", text: "b" })];
    assert.deepEqual((await Promise.all(answers)).map((r) => r.text), ["a", "b"]);
    await assert.rejects(client.call({ type: "fail" }), /^Error: echo worker: Error: asked to fail/);
    assert.equal((await client.call({ type: "echo", text: "c" })).text, "c");
  } finally {
    client.terminate();
  }
});

Deno.test("after a worker crashes, the request in flight and every later one fail with the crash", async () => {
  const client = echoWorker();
  try {
    const queued = client.call({ type: "echo", text: "after" });
    await assert.rejects(client.call({ type: "crash" }), /echo worker crashed: .*asked to crash/);
    // (queued was sent before the crash request and answered; a request sent after the crash fails at once)
    assert.equal((await queued).text, "after");
    await assert.rejects(client.call({ type: "echo", text: "late" }), /echo worker crashed: .*asked to crash/);
  } finally {
    client.terminate();
  }
});
