import assert from "node:assert/strict";
import { SerialQueue } from "./serial_queue.ts";

Deno.test("a serial queue runs jobs one at a time in the order queued, past a failing one", async () => {
  const queue = new SerialQueue();
  const log: string[] = [];
  let running = 0;
  const job = (name: string, ms: number, fail = false) => async () => {
    assert.equal(running++, 0, `${name} started while another job ran`);
    log.push(`start ${name}`);
    await new Promise((r) => setTimeout(r, ms));
    running--;
    log.push(`end ${name}`);
    if (fail) throw new Error(`${name} failed`);
    return name;
  };
  const results = [queue.run(job("a", 20)), queue.run(job("b", 1, true)), queue.run(job("c", 5))];
  assert.equal(await results[0], "a");
  await assert.rejects(results[1], /b failed/);
  assert.equal(await results[2], "c");
  assert.deepEqual(log, ["start a", "end a", "start b", "end b", "start c", "end c"]);
});
