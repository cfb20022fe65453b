import assert from "node:assert/strict";
import { trainIdsToAcdc30 } from "../data/labels/acdc_labels.ts";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPanopticStats, panopticResult } from "../metrics/panoptic.ts";
import { accumulateSemantic, createSemanticStats, semanticResult } from "../metrics/semantic.ts";
import { accumulateIkaProtocol, createIkaProtocolStats, ikaProtocolSection } from "./ika_protocol.ts";
import { type EvalRecord, panopticSection, recordTables, semanticSection, writeEvalRecord } from "./record.ts";

function record(): EvalRecord {
  const stats = createSemanticStats(3);
  accumulateSemantic(stats, [0, 0, 1, 1], [0, 1, 1, 1]);
  const pq = createPanopticStats([{ id: 0, isThing: false, name: "a" }, { id: 1, isThing: true, name: "b" }]);
  pq.counts.get(0)!.tp = 1;
  pq.counts.get(0)!.iouSum = 0.75;
  return {
    source: { kind: "files", gt: "g", gtFormat: "kitti", pred: "p", predFormat: "labelIds", task: "semantic" },
    createdAt: "now",
    frames: 1,
    instanceFrames: 0,
    instanceSource: null,
    secondsPerFrame: 0.5,
    semantic: semanticSection(semanticResult(stats), ["x", "y", "z"]),
    schemes: null,
    panoptic: panopticSection(panopticResult(pq), pq.categories),
    instance: null,
    perFrame: null,
    attribution: "data credit",
  };
}

Deno.test("record: per-class scores carry names; classes without data are null in the JSON and – in tables, also when read back", () => {
  const r = record();
  assert.deepEqual(r.semantic!.perClass.map((c) => [c.name, c.iou]), [["x", 0.5], ["y", 2 / 3], ["z", NaN]]);
  const dir = mkdtempSync(join(tmpdir(), "record-test-"));
  try {
    writeEvalRecord(join(dir, "e.json"), r);
    const back = JSON.parse(readFileSync(join(dir, "e.json"), "utf8"));
    assert.equal(back.semantic.perClass[2].iou, null);
    assert.equal(back.panoptic.perClass[1].pq, null, "a class with tp+fp+fn = 0 is not a zero score");
    assert.equal(back.panoptic.perClass[0].pq, 0.75);
    assert.equal(recordTables(back), recordTables(r), "a record read back from its JSON prints the same tables");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const text = recordTables(r);
  assert.match(text, /\| z \| – \| – \|/);
  assert.match(text, /mIoU 0\.583/);
  assert.match(text, /\| b \| – \| – \| – \| 0 \| 0 \| 0 \|/);
  assert.match(text, /1 frames \(0 with instance labels\), 0\.50 s per frame\n\ndata credit$/);
  const flipped: EvalRecord = {
    ...r,
    source: { kind: "model", checkpoint: "m", step: 1, data: "d", split: "s", instances: null, scale: 1, flip: true },
  };
  assert.match(
    recordTables(flipped),
    /1 frames \(0 with instance labels\), each averaged with its mirror image, 0\.50 s/,
  );
});

Deno.test("record: ika's protocol is printed beside the schemes, with its frame size and the classes averaged", () => {
  const stats = createIkaProtocolStats();
  accumulateIkaProtocol(
    stats,
    Uint8Array.from([0, 0, 0, 70, 130, 180]),
    trainIdsToAcdc30(Uint8Array.from([255, 13])),
    "f",
  );
  const r = { ...record(), ikaProtocol: ikaProtocolSection(semanticResult(stats)) };
  assert.match(
    recordTables(r),
    /ika's protocol \(frames resized to 368x1248, the notebook's colours, None scored\): ACDC-30 mIoU 0\.333 over 3 classes/,
  );
  assert.doesNotMatch(recordTables(record()), /ika's protocol/);
});
