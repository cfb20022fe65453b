// Generic async-iterator stages for input pipelines: seeded shuffle, ordered concurrent map, batch, prefetch.

import { createRng, shuffled } from "./random.ts";

/** Yields the items of an array (or any iterable) as an async iterator. */
export async function* fromIterable<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** Yields the items in a seeded random order (the same seed gives the same order). */
export async function* shuffle<T>(items: readonly T[], seed: number): AsyncGenerator<T> {
  yield* shuffled(items, createRng(seed));
}

/**
 * Applies an async function with up to `concurrency` calls in flight, yielding results in input order.
 * An error in any call is thrown from the iterator.
 */
export async function* map<T, U>(
  source: AsyncIterable<T>,
  fn: (item: T, index: number) => Promise<U> | U,
  concurrency = 1,
): AsyncGenerator<U> {
  const pending: Promise<U>[] = [];
  let index = 0;
  for await (const item of source) {
    const p = Promise.resolve().then(() => fn(item, index++));
    p.catch(() => {}); // surfaced when awaited in order below; avoids unhandled-rejection noise meanwhile
    pending.push(p);
    if (pending.length >= concurrency) yield await pending.shift()!;
  }
  while (pending.length > 0) yield await pending.shift()!;
}

/** Groups consecutive items into arrays of `size`; the last, shorter group is kept unless `dropRemainder`. */
export async function* batch<T>(source: AsyncIterable<T>, size: number, dropRemainder = false): AsyncGenerator<T[]> {
  if (!Number.isInteger(size) || size < 1) throw new Error(`batch size must be a positive integer, got ${size}`);
  let group: T[] = [];
  for await (const item of source) {
    group.push(item);
    if (group.length === size) {
      yield group;
      group = [];
    }
  }
  if (group.length > 0 && !dropRemainder) yield group;
}

/** Pulls up to `count` items ahead of the consumer so that producing overlaps with consuming. */
export async function* prefetch<T>(source: AsyncIterable<T>, count: number): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  const ahead: Promise<IteratorResult<T>>[] = [];
  const pull = () => {
    const p = it.next();
    p.catch(() => {});
    ahead.push(p);
  };
  try {
    for (let i = 0; i < Math.max(1, count); i++) pull();
    while (true) {
      const result = await ahead.shift()!;
      if (result.done) return;
      pull();
      yield result.value;
    }
  } finally {
    await it.return?.();
  }
}
