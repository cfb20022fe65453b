// The README's results section, generated from the run records (the same ones report.ipynb reads): the summary table
// of the default run, the default models so far, the ablations of the final recipe and the pseudo instance labels'
// quality. `deno task report` rewrites the part between the two markers; a test fails when the README no longer matches
// the records.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pseudoLabelSentence, readPseudoLabelQuality } from "../../lib/pseudo_labels/readme.ts";
import { writeFileAtomic } from "../../lib/io/atomic_write.ts";
import { DEFAULT_RUN_DIR } from "../../lib/train/config.ts";
import { COMPARISON_HEADERS, comparisonRows, comparisonRuns, REFERENCE_RUN, seedNoiseSentence } from "./comparison.ts";
import { MODEL_HISTORY_HEADERS, modelHistory } from "./model_history.ts";
import { newestBenchRecord, readEvalRecord } from "./records.ts";
import { summaryRows } from "./summary.ts";
import { markdownTable } from "../../lib/viz/markdown_table.ts";

export const RESULTS_BEGIN =
  "<!-- results: written by `deno task report` from runs/ and tools/bench/results/; do not edit -->\n" +
  "<!-- deno-fmt-ignore-start -->";
export const RESULTS_END = "<!-- deno-fmt-ignore-end -->\n<!-- end of results -->";

/** The results section's body for the project at `root`. */
export function resultsMarkdown(root: string): string {
  const runDir = join(root, DEFAULT_RUN_DIR);
  const evalPath = join(runDir, "eval-acdc_val.json");
  const evalRecord = readEvalRecord(evalPath);
  const bench = newestBenchRecord(join(root, "tools", "bench", "results"), "train-step");
  const parts = [
    `Default model \`${DEFAULT_RUN_DIR}\` on the ACDC validation split of KITTI ` +
    `(record \`${DEFAULT_RUN_DIR}/eval-acdc_val.json\`, ` +
    `reproduce with \`deno task eval --checkpoint ${DEFAULT_RUN_DIR} --split acdc_val\`):`,
    markdownTable(["measure", "value"], summaryRows(runDir, evalRecord, bench)),
  ];
  const history = modelHistory(join(root, "runs"), join(root, "configs"));
  if (history.length > 1) {
    parts.push(
      "The default models so far, oldest first (each row's change is against the row above, from the configs; " +
        "scored on the validation split by `deno task eval --checkpoint runs/<name> --split acdc_val`):",
      markdownTable(MODEL_HISTORY_HEADERS, comparisonRows(history)),
    );
  }
  const runs = comparisonRuns(join(root, "runs"), join(root, "configs"));
  if (runs.length) {
    parts.push(
      `Ablations of the final recipe (\`configs/compare-*.json\`, each read against \`${REFERENCE_RUN}\`, the ` +
        `recipe the default model's training started from, at the same length; scored on the validation split by ` +
        `\`deno task eval --checkpoint runs/compare-<name> --split acdc_val\`):`,
      markdownTable(COMPARISON_HEADERS, comparisonRows(runs)),
      seedNoiseSentence(runs),
    );
  }
  parts.push(pseudoLabelSentence(readPseudoLabelQuality(join(root, "data", "kitti-instances", "quality.json"))));
  if (evalRecord?.attribution) parts.push(evalRecord.attribution);
  return parts.join("\n\n");
}

/** `readme` with the text between the results markers replaced by `body`. */
export function withResults(readme: string, body: string, file = "README.md"): string {
  const begin = readme.indexOf(RESULTS_BEGIN);
  const end = readme.indexOf(RESULTS_END);
  if (begin < 0 || end < begin) throw new Error(`${file}: no results markers (${RESULTS_BEGIN} … ${RESULTS_END})`);
  return readme.slice(0, begin + RESULTS_BEGIN.length) + "\n\n" + body + "\n\n" + readme.slice(end);
}

/** Rewrites the README's results section from the records; returns whether it changed. */
export function updateReadmeResults(root: string): boolean {
  const file = join(root, "README.md");
  const readme = readFileSync(file, "utf8");
  const updated = withResults(readme, resultsMarkdown(root), file);
  if (updated === readme) return false;
  writeFileAtomic(file, updated);
  return true;
}
