import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../runtime/backend.ts";
import { kittiSplitSource } from "../data/datasets/sources.ts";
import { writeTinyKittiWithInstances } from "../data/datasets/testing/tiny_kitti.ts";
import { constantHeadsModel } from "../model/testing/constant_heads.ts";
import { evaluateModel } from "./loop.ts";

await initBackend({ force: "wasm", log: () => {} });

const CAR = 13;

Deno.test("validation scores a KITTI folder's own instance/ maps over the pseudo labels and names them", async () => {
  const dir = mkdtempSync(join(tmpdir(), "validation_test-"));
  try {
    const { kitti, pseudo, cars } = await writeTinyKittiWithInstances(dir, 2);
    // Road everywhere: every GT car is a false negative, so the FN count tells which instance maps were scored.
    const model = constantHeadsModel([5, ...new Array(18).fill(0)], 0, [0, 0]);
    const run = async () => {
      const ev = await evaluateModel(model, { source: kittiSplitSource(kitti, "val", pseudo), frames: 0, scale: 1 });
      return { fn: ev.result.panoptic!.perCategory.get(CAR)!.fn, source: ev.summary.instanceSource };
    };
    assert.deepEqual(await run(), { fn: cars[0] + cars[1], source: "kitti instance maps" });
    rmSync(join(kitti, "instance"), { recursive: true });
    assert.deepEqual(await run(), { fn: 2, source: `pseudo labels (${pseudo})` });
    model.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
