import assert from "node:assert/strict";
import { batch, fromIterable, map, prefetch, shuffle } from "./iterators.ts";

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("shuffle is a seeded permutation", async () => {
  const a = await collect(shuffle(range(30), 4));
  assert.deepEqual(a, await collect(shuffle(range(30), 4)));
  assert.notDeepEqual(a, await collect(shuffle(range(30), 5)));
  assert.deepEqual([...a].sort((x, y) => x - y), range(30));
});

Deno.test("map keeps input order with concurrency and runs calls in parallel", async () => {
  let inFlight = 0, maxInFlight = 0;
  const out = await collect(map(fromIterable(range(12)), async (v) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await sleep(12 - v); // later items finish first
    inFlight--;
    return v * 10;
  }, 4));
  assert.deepEqual(out, range(12).map((v) => v * 10));
  assert.equal(maxInFlight, 4);
});

Deno.test("map surfaces errors from the function", async () => {
  const it = map(fromIterable(range(5)), (v) => {
    if (v === 3) throw new Error("bad item 3");
    return v;
  }, 2);
  await assert.rejects(collect(it), /bad item 3/);
});

Deno.test("batch groups items, keeps or drops the remainder", async () => {
  assert.deepEqual(await collect(batch(fromIterable(range(7)), 3)), [[0, 1, 2], [3, 4, 5], [6]]);
  assert.deepEqual(await collect(batch(fromIterable(range(7)), 3, true)), [[0, 1, 2], [3, 4, 5]]);
  await assert.rejects(collect(batch(fromIterable(range(3)), 0)), /batch size/);
});

Deno.test("prefetch yields everything in order and produces ahead of a slow consumer", async () => {
  let produced = 0;
  async function* source() {
    for (let i = 0; i < 6; i++) {
      produced++;
      yield i;
    }
  }
  const seen: number[] = [];
  const producedWhenConsumed: number[] = [];
  for await (const v of prefetch(source(), 3)) {
    await sleep(2);
    producedWhenConsumed.push(produced);
    seen.push(v);
  }
  assert.deepEqual(seen, range(6));
  assert.ok(producedWhenConsumed[0] >= 3, `produced ${producedWhenConsumed[0]} before the first item was used`);
});
