import assert from "node:assert/strict";
import { createRng, deriveSeed, shuffled } from "./random.ts";

Deno.test("same seed gives the same sequence, different seeds differ", () => {
  const a = createRng(42), b = createRng(42), c = createRng(43);
  const sa = Array.from({ length: 20 }, () => a.next());
  const sb = Array.from({ length: 20 }, () => b.next());
  const sc = Array.from({ length: 20 }, () => c.next());
  assert.deepEqual(sa, sb);
  assert.notDeepEqual(sa, sc);
});

Deno.test("next is in [0,1), int covers its range, mean near 0.5", () => {
  const rng = createRng(7);
  const counts = new Array(5).fill(0);
  let sum = 0;
  for (let i = 0; i < 10000; i++) {
    const v = rng.next();
    assert.ok(v >= 0 && v < 1);
    sum += v;
    counts[rng.int(5)]++;
  }
  assert.ok(Math.abs(sum / 10000 - 0.5) < 0.02);
  for (const c of counts) assert.ok(c > 1700 && c < 2300, `int(5) bucket count ${c}`);
});

Deno.test("shuffled is a reproducible permutation", () => {
  const items = Array.from({ length: 50 }, (_, i) => i);
  const s1 = shuffled(items, createRng(1));
  assert.deepEqual(s1, shuffled(items, createRng(1)));
  assert.notDeepEqual(s1, items);
  assert.deepEqual([...s1].sort((x, y) => x - y), items);
});

Deno.test("deriveSeed is deterministic and spreads indices", () => {
  assert.equal(deriveSeed(5, 3), deriveSeed(5, 3));
  const seeds = new Set(Array.from({ length: 1000 }, (_, i) => deriveSeed(5, i)));
  assert.equal(seeds.size, 1000);
  assert.notEqual(deriveSeed(5, 0), deriveSeed(6, 0));
});
