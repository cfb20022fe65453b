// The README's results section is what the code makes of the committed records (run `deno task report` after
// training, evaluating or benchmarking to refresh it).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { resultsMarkdown, withResults } from "../tools/report/readme_results.ts";
import { PROJECT_ROOT } from "../lib/io/project.ts";

Deno.test("README results section matches the run records", () => {
  const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
  assert.equal(
    readme,
    withResults(readme, resultsMarkdown(PROJECT_ROOT)),
    "README.md results section is stale: run `deno task report` (or updateReadmeResults) to regenerate it",
  );
});
