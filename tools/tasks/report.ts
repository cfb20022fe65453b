// `deno task report`: runs setup (tools/setup/setup.ts), refreshes the README's results section from the run records,
// then executes report.ipynb and notebooks/*.ipynb top to bottom and writes their HTML beside them.
import { dirname, join, relative } from "node:path";
import { executeNotebook, reportNotebooks } from "../report/notebooks.ts";
import { updateReadmeResults } from "../report/readme_results.ts";
import { PROJECT_ROOT } from "../../lib/io/project.ts";
import { ensureSetup } from "../setup/setup.ts";
import { parseTaskArgs } from "./args.ts";

parseTaskArgs(
  "report",
  `deno task report
  Runs setup, refreshes the results section of README.md from the run records (runs/, tools/bench/results/), then
  executes report.ipynb and notebooks/*.ipynb top to bottom and writes their HTML beside them. Takes no flags.`,
  {},
);

try {
  await ensureSetup({ dataOnly: false, log: (line) => console.log(`setup: ${line}`) });
} catch (e) {
  console.error(`report: setup failed: ${e instanceof Error ? e.message : e}`);
  Deno.exit(1);
}
if (updateReadmeResults(PROJECT_ROOT)) console.log("updated the results section of README.md from the run records");

for (const notebook of reportNotebooks(PROJECT_ROOT)) {
  const start = performance.now();
  console.log(`executing ${relative(PROJECT_ROOT, notebook)} …`);
  const hideInput = notebook === join(PROJECT_ROOT, "report.ipynb");
  const out = await executeNotebook(notebook, { outputDir: dirname(notebook), format: "html", hideInput });
  console.log(`  wrote ${relative(PROJECT_ROOT, out)} in ${((performance.now() - start) / 1000).toFixed(0)} s`);
}
