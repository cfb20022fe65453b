import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { comparisonRows } from "./comparison.ts";
import { EARLIER_DEFAULT_RUNS, MODEL_HISTORY_HEADERS, modelHistory } from "./model_history.ts";
import { writeRun } from "./testing/runs.ts";

Deno.test("model history: earlier default models oldest first, today's last, each read against the one before", () => {
  const root = mkdtempSync(join(tmpdir(), "history-"));
  try {
    const [first, second] = EARLIER_DEFAULT_RUNS;
    writeRun(root, first, { model: { encoder: "mobilenet_v2", decoderInit: "glorot" } }, 0.226);
    writeRun(root, second, { steps: 4, model: { encoder: "mobilenet_v2", decoderInit: "he" } }, 0.303);
    writeRun(root, "today", { steps: 4, augment: null, model: { encoder: "mobilenet_v3_coco" } }, null);
    writeRun(root, "compare-other", {}, 0.5);
    const runs = modelHistory(join(root, "runs"), join(root, "configs"), "today");
    assert.deepEqual(runs.map((r) => r.name), [first, second, "today"]);
    const rows = comparisonRows(runs);
    assert.equal(rows[0][1], "–");
    assert.equal(rows[1][1], "`steps 4`, `model.decoderInit he`");
    assert.equal(rows[2][1], "`augment null`, `model.encoder mobilenet_v3_coco`");
    assert.deepEqual(rows[1].slice(2, 5), ["2/4", "23.3", "30.3"]);
    assert.deepEqual(rows[2].slice(3, 9), ["–", "–", "–", "–", "–", "–"]);
    assert.equal(MODEL_HISTORY_HEADERS[1], "change against the model before");
    assert.equal(MODEL_HISTORY_HEADERS.length, rows[0].length);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

Deno.test("model history: runs without a record are left out; today's is not listed twice when it is an earlier name", () => {
  const root = mkdtempSync(join(tmpdir(), "history-"));
  try {
    const last = EARLIER_DEFAULT_RUNS[EARLIER_DEFAULT_RUNS.length - 1];
    writeRun(root, last, {}, 0.3);
    assert.deepEqual(modelHistory(join(root, "runs"), join(root, "configs"), last).map((r) => r.name), [last]);
    assert.deepEqual(modelHistory(join(root, "runs"), join(root, "configs"), "missing").map((r) => r.name), [last]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
