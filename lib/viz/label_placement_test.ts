import assert from "node:assert/strict";
import { type LabelRequest, overlaps, placeLabels, type Rect } from "./label_placement.ts";

/** Asserts that no two placed rectangles overlap and that all lie inside the bounds. */
function assertApartAndInside(rects: (Rect | null)[], bounds: { width: number; height: number }) {
  const placed = rects.filter((r) => r !== null);
  for (const r of placed) {
    assert.ok(r.x >= 0 && r.y >= 0 && r.x + r.width <= bounds.width && r.y + r.height <= bounds.height);
  }
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      assert.ok(!overlaps(placed[i], placed[j]), `labels ${i} and ${j} overlap`);
    }
  }
}

Deno.test("overlaps: shared area only, touching edges do not count", () => {
  const a = { x: 0, y: 0, width: 10, height: 10 };
  assert.ok(overlaps(a, { x: 9, y: 9, width: 5, height: 5 }));
  assert.ok(!overlaps(a, { x: 10, y: 0, width: 5, height: 5 }));
  assert.ok(!overlaps(a, { x: 0, y: 10, width: 5, height: 5 }));
});

Deno.test("placeLabels: a free label sits centred on its anchor, a taken spot moves the next one close by", () => {
  const request = { anchor: { x: 50, y: 50 }, width: 40, height: 10 };
  const [first, second] = placeLabels([request, request], { width: 200, height: 200 });
  assert.deepEqual(first, { x: 30, y: 45, width: 40, height: 10 });
  assert.ok(second && !overlaps(first!, second));
  assert.ok(Math.abs(second.y + 5 - 50) <= 20 && Math.abs(second.x + 20 - 50) <= 40, "moved at most 2 label sizes");
});

Deno.test("placeLabels: 60 labels crowded into a corner never overlap, stay inside, and the surplus is dropped", () => {
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const requests: LabelRequest[] = Array.from({ length: 60 }, () => ({
    anchor: { x: 10 + random() * 80, y: 5 + random() * 30 },
    width: 30 + random() * 40,
    height: 12,
  }));
  const bounds = { width: 240, height: 100 };
  const rects = placeLabels(requests, bounds, { gap: 0 });
  assertApartAndInside(rects, bounds);
  assert.ok(rects[0] !== null, "the first (most important) label is always placed");
  assert.ok(rects.includes(null), "a crowd larger than the room loses labels");
  assert.deepEqual(placeLabels([{ anchor: { x: 5, y: 5 }, width: 300, height: 10 }], bounds), [null]);
});
