import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { newestBenchRecord, readEvalRecord } from "./records.ts";

Deno.test("newestBenchRecord picks the latest file of the section by its timestamp name", () => {
  const dir = mkdtempSync(join(tmpdir(), "bench-"));
  const record = (rows: number) => JSON.stringify({ section: "s", methodology: [], headers: [], rows: [[rows]] });
  writeFileSync(join(dir, "2026-01-02T00-00-00Z-s.json"), record(2));
  writeFileSync(join(dir, "2026-01-01T00-00-00Z-s.json"), record(1));
  writeFileSync(join(dir, "2026-01-03T00-00-00Z-other.json"), record(3));
  assert.deepEqual(newestBenchRecord(dir, "s")?.result.rows, [[2]]);
  assert.equal(newestBenchRecord(dir, "missing"), null);
  assert.equal(newestBenchRecord(join(dir, "nowhere"), "s"), null);
});

Deno.test("readEvalRecord returns null for a missing file and names a broken one", () => {
  const dir = mkdtempSync(join(tmpdir(), "eval-"));
  assert.equal(readEvalRecord(join(dir, "none.json")), null);
  writeFileSync(join(dir, "bad.json"), "{");
  assert.throws(() => readEvalRecord(join(dir, "bad.json")), /bad\.json: not a readable JSON record/);
});
