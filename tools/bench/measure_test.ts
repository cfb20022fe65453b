import assert from "node:assert/strict";
import { interleavedRuns, median, peakRssMb, type Timing } from "./measure.ts";

Deno.test("median handles odd and even counts without reordering its input", () => {
  const xs = [5, 1, 3];
  assert.equal(median(xs), 3);
  assert.deepEqual(xs, [5, 1, 3]);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

/**
 * Runs `body` (which sees `timeRuns`) in a fresh Deno process and returns what it prints as JSON: CPU time is
 * counted per process, and `deno test --parallel` runs other test modules in this one.
 */
async function inOwnProcess<T>(body: string): Promise<T> {
  const measure = new URL("./measure.ts", import.meta.url).href;
  const code = `import { timeRuns } from "${measure}";\n${body}`;
  const out = await new Deno.Command(Deno.execPath(), { args: ["eval", "--ext=ts", code] }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("timeRuns skips warm-up runs and times each repeat", async () => {
  const { calls, t } = await inOwnProcess<{ calls: number; t: Timing }>(`
    let calls = 0;
    const t = await timeRuns(async () => { calls++; await new Promise((r) => setTimeout(r, 5)); }, 2, 3);
    console.log(JSON.stringify({ calls, t }));`);
  assert.equal(calls, 5);
  assert.equal(t.runsMs.length, 3);
  assert.ok(t.medianMs >= 4, `median ${t.medianMs}`);
  assert.ok(t.coresUsed >= 0 && t.coresUsed < 0.5, `sleeping used ${t.coresUsed} cores`);
});

Deno.test("timeRuns sees one busy thread as about one core", async () => {
  const t = await inOwnProcess<Timing>(`
    const t = await timeRuns(() => {
      const end = performance.now() + 30;
      while (performance.now() < end) Math.sqrt(Math.random());
    }, 0, 2);
    console.log(JSON.stringify(t));`);
  assert.ok(t.coresUsed > 0.2 && t.coresUsed < 1.3, `busy loop used ${t.coresUsed} cores`);
});

Deno.test("peakRssMb is at least the current resident size", () => {
  const current = Deno.memoryUsage().rss / 1024 / 1024;
  assert.ok(peakRssMb() >= current * 0.99);
});

Deno.test("interleavedRuns alternates the functions and times each separately", async () => {
  const order: string[] = [];
  const [a, b] = await interleavedRuns([
    () => order.push("a"),
    async () => {
      order.push("b");
      await new Promise((r) => setTimeout(r, 10));
    },
  ], 2);
  assert.deepEqual(order, ["a", "b", "a", "b"]);
  assert.equal(a.runsMs.length, 2);
  assert.ok(b.medianMs >= 9 && a.medianMs < b.medianMs, `${a.medianMs} vs ${b.medianMs}`);
});
