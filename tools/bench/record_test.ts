import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileTimestamp, formatBenchResult, writeBenchRecord } from "./record.ts";
import type { BenchResult } from "./section.ts";

const result: BenchResult = {
  section: "demo",
  methodology: ["median of 3 runs"],
  headers: ["setting", "ms"],
  rows: [["a", 1.5], ["b", 2]],
  data: { x: 1 },
};

Deno.test("formatBenchResult prints the table and the methodology", () => {
  const text = formatBenchResult(result);
  assert.match(text, /## demo/);
  assert.match(text, /\| a \| 1\.50 \|/);
  assert.match(text, /Methodology:\n- median of 3 runs/);
});

Deno.test("writeBenchRecord writes <timestamp>-<section>.json with the date and the data", () => {
  const dir = mkdtempSync(join(tmpdir(), "bench-"));
  try {
    const date = new Date("2026-01-02T03:04:05.678Z");
    assert.equal(fileTimestamp(date), "2026-01-02T03-04-05Z");
    const path = writeBenchRecord(join(dir, "results"), result, date);
    assert.equal(path, join(dir, "results", "2026-01-02T03-04-05Z-demo.json"));
    const json = JSON.parse(readFileSync(path, "utf8"));
    assert.equal(json.date, "2026-01-02T03:04:05.678Z");
    assert.deepEqual(json.data, { x: 1 });
    assert.deepEqual(readdirSync(join(dir, "results")), ["2026-01-02T03-04-05Z-demo.json"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
