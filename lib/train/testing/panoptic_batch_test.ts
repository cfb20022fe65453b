import assert from "node:assert/strict";
import { LABEL_SETS } from "../../data/labels/descriptor.ts";
import { randomPanopticBatch } from "./panoptic_batch.ts";

Deno.test("randomPanopticBatch: seeded, the pipeline's targets and shapes, things, stuff and ignored pixels", () => {
  const labels = LABEL_SETS.cityscapes19;
  const a = randomPanopticBatch(3, [2, 32, 48], labels), b = randomPanopticBatch(3, [2, 32, 48], labels);
  assert.deepEqual(a, b);
  assert.notDeepEqual(randomPanopticBatch(4, [2, 32, 48], labels).targets.semantic, a.targets.semantic);
  assert.deepEqual(a.images.shape, [2, 32, 48, 3]);
  assert.ok(a.images.data.every((v) => v >= -1 && v <= 1));
  const shapes = Object.fromEntries(Object.entries(a.targets).map(([k, v]) => [k, v.shape]));
  assert.deepEqual(shapes, {
    semantic: [2, 32, 48],
    semanticWeights: [2, 32, 48],
    center: [2, 32, 48, 1],
    centerWeights: [2, 32, 48],
    offsets: [2, 32, 48, 2],
    offsetWeights: [2, 32, 48],
  });
  const semantic = [...a.targets.semantic.data];
  assert.ok(semantic.includes(labels.ignoreLabel), "no ignored pixel");
  assert.ok(semantic.some((c) => labels.thingIds.includes(c)), "no thing pixel");
  assert.ok(semantic.some((c) => c !== labels.ignoreLabel && !labels.thingIds.includes(c)), "no stuff pixel");
  assert.ok(Math.max(...a.targets.center.data) > 0.99, "no centre peak");
  assert.ok(a.targets.offsetWeights.data.some((v) => v === 1) && a.targets.offsets.data.some((v) => v !== 0));
  assert.ok(a.targets.semanticWeights.data.some((v) => v === 3), "no small instance weighted up");
});
