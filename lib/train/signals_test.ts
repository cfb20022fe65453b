import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const CHILD = fileURLToPath(new URL("./testing/signal_child.ts", import.meta.url));

/** Starts the helper in `mode`, sends `signals` (the next one once stdout contains its `after` text). */
async function run(mode: string, signals: { signal: Deno.Signal; after: string }[]) {
  const child = new Deno.Command(Deno.execPath(), { args: ["run", CHILD, mode], stdout: "piped", stderr: "piped" })
    .spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  for (const { signal, after } of signals) {
    while (!out.includes(after)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`helper ended before printing "${after}": ${out}`);
      out += value;
    }
    child.kill(signal);
  }
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) out += chunk.value;
  const [status, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
  return { code: status.code, out, stderr };
}

Deno.test({
  name: "SIGTERM runs the callback once, lets it finish, then exits with 143",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const { code, out } = await run("exit", [{ signal: "SIGTERM", after: "ready" }]);
    assert.equal(code, 143);
    assert.equal(out, "ready\ncallback SIGTERM 1\nsaved 1\n");
  },
});

Deno.test("SIGINT with exit: false lets the program poll the handle and end on its own", async () => {
  const { code, out } = await run("poll", [{ signal: "SIGINT", after: "ready" }]);
  assert.equal(code, 0);
  assert.equal(out, "ready\ncallback SIGINT 1\nsaved 1\nstopped by SIGINT\n");
});

Deno.test({
  name: "a second signal exits at once while the callback still runs",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const start = performance.now();
    const { code, out } = await run("hang", [
      { signal: "SIGTERM", after: "ready" },
      { signal: "SIGINT", after: "callback" },
    ]);
    assert.equal(code, 130);
    assert.equal(out, "ready\ncallback SIGTERM 1\n");
    assert.ok(performance.now() - start < 30_000);
  },
});

Deno.test("a failing callback is reported and exits with 1", async () => {
  const { code, out, stderr } = await run("fail", [{ signal: "SIGINT", after: "ready" }]);
  assert.equal(code, 1);
  assert.equal(out, "ready\ncallback SIGINT 1\n");
  assert.match(stderr, /signals.ts: the SIGINT handler failed: Error: save failed/);
});
