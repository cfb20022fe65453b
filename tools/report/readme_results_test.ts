import assert from "node:assert/strict";
import { RESULTS_BEGIN, RESULTS_END, withResults } from "./readme_results.ts";

Deno.test("withResults replaces only the text between the markers, and is idempotent", () => {
  const readme = `# title\n\n${RESULTS_BEGIN}\n\nold table\n\n${RESULTS_END}\n\n## next\n`;
  const once = withResults(readme, "new table");
  assert.equal(once, `# title\n\n${RESULTS_BEGIN}\n\nnew table\n\n${RESULTS_END}\n\n## next\n`);
  assert.equal(withResults(once, "new table"), once);
});

Deno.test("withResults names the file when the markers are missing", () => {
  assert.throws(() => withResults("# no markers\n", "x", "X.md"), /X\.md: no results markers/);
  assert.throws(() => withResults(`${RESULTS_END}\n${RESULTS_BEGIN}`, "x"), /no results markers/);
});
