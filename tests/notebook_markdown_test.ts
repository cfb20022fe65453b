// No number typed into the notebooks' markdown: figures come from code cells; digits only in citations of external
// work, licence names, code spans, link targets and names (rules in tests/testing/markdown_numbers.ts).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { reportNotebooks } from "../tools/report/notebooks.ts";
import { typedNumbers } from "./testing/markdown_numbers.ts";
import { PROJECT_ROOT } from "../lib/io/project.ts";

interface Notebook {
  cells: { cell_type: string; source: string[] | string }[];
}

Deno.test("notebook markdown has no typed-in numbers", () => {
  const problems: string[] = [];
  for (const path of reportNotebooks(PROJECT_ROOT)) {
    const nb: Notebook = JSON.parse(readFileSync(path, "utf8"));
    nb.cells.forEach((cell, i) => {
      if (cell.cell_type !== "markdown") return;
      const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      for (const n of typedNumbers(source)) {
        problems.push(`${relative(PROJECT_ROOT, path)} cell ${i}: "${n.text}" in: ${n.line.trim()}`);
      }
    });
  }
  assert.deepEqual(problems, [], `numbers typed into markdown:\n${problems.join("\n")}`);
});
