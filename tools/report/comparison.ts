// The ablations of the final recipe (issue "the final model"): every runs/compare-*/ folder (configs/compare-*.json)
// is the same 1000-step schedule, read against the reference run, the recipe at that length. A run's row
// names what its config changes against the reference's (computed from the two config files over today's defaults,
// which every config that trained a run pins where a default has since changed), and gives its scores from the full
// 60-frame evaluation that `deno task eval --checkpoint runs/compare-<name> --split acdc_val` writes (ika's protocol
// included) and its wall time from the training record.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type AblationRun, ablationRuns } from "./ablation.ts";
import { readEvalRecord } from "./records.ts";
import { percent } from "./summary.ts";
import { loadConfig } from "../../lib/train/config.ts";
import { DEFAULT_MODEL_CONFIG } from "../../lib/model/panoptic_deeplab.ts";
import type { Cell } from "../../lib/viz/markdown_table.ts";
import type { GroupScore } from "../../lib/viz/metric_charts.ts";
import type { EvalRecord } from "../../lib/eval/record.ts";

export const COMPARISON_PREFIX = "compare-";
/** The evaluation each comparison run is scored by (written by `deno task eval … --split acdc_val`). */
export const COMPARISON_EVAL = "eval-acdc_val.json";
/**
 * The run the others are read against: the recipe the default model's training started from at the comparison length
 * (its long run, configs/final-3.json, adds the one change that beat the noise: the atrous ASPP).
 */
export const REFERENCE_RUN = "compare-mobilenet-v3-coco";

export interface ComparisonRun extends AblationRun {
  /** The run's full evaluation on the validation split, or null until it is evaluated. */
  evaluation: EvalRecord | null;
  /** What its config changes against the reference's ("augment.jitter false"); null without both config files. */
  changes: string[] | null;
}

/** Keys that do not change what a run learns: its name, logging, validation, checkpoints, data-loading workers. */
const IGNORED_KEYS = new Set(["name", "description", "validation", "checkpoint", "pipelineWorkers"]);
/** Keys that only re-draw the same recipe. */
const SEED_KEYS = new Set(["seed", "model.seed"]);

/**
 * A config file's settings, as dotted path → value (strings as they are, others as JSON), over today's defaults and
 * the network's defaults.
 */
export function configSettings(file: string): Map<string, string> {
  const config = loadConfig(file);
  const settings = new Map<string, string>();
  const walk = (value: unknown, path: string) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) walk(inner, `${path}.${key}`);
    } else settings.set(path, typeof value === "string" ? value : JSON.stringify(value));
  };
  for (const [key, value] of Object.entries({ ...config, model: { ...DEFAULT_MODEL_CONFIG, ...config.model } })) {
    if (!IGNORED_KEYS.has(key)) walk(value, key);
  }
  return settings;
}

/**
 * The settings that differ, as "path value" ("unset" where `settings` lacks it); a key `settings` sets hides the
 * keys below it (augmentation off is "augment null", not each of its fields), and the other way round.
 */
export function settingChanges(settings: Map<string, string>, reference: Map<string, string>): string[] {
  const changed = [...new Set([...settings.keys(), ...reference.keys()])]
    .filter((k) => settings.get(k) !== reference.get(k));
  const under = (k: string, parent: string) => k.startsWith(`${parent}.`);
  return changed
    .filter((k) => !changed.some((p) => under(k, p) && settings.has(p)))
    .filter((k) => settings.has(k) || ![...settings.keys()].some((s) => under(s, k)))
    .map((k) => `${k} ${settings.get(k) ?? "unset"}`);
}

/**
 * The comparison runs under `runsDir`, the reference first, then its repeats with other seeds, then by name, each
 * with its evaluation record if it has one and its changes against the reference from `configsDir`/<name>.json.
 */
export function comparisonRuns(runsDir: string, configsDir = "configs"): ComparisonRun[] {
  const configOf = (name: string) => join(configsDir, `${name}.json`);
  const reference = existsSync(configOf(REFERENCE_RUN)) ? configSettings(configOf(REFERENCE_RUN)) : null;
  const runs = ablationRuns(runsDir, COMPARISON_PREFIX).map((run) => ({
    ...run,
    evaluation: readEvalRecord(join(runsDir, run.name, COMPARISON_EVAL)),
    changes: reference && existsSync(configOf(run.name))
      ? settingChanges(configSettings(configOf(run.name)), reference)
      : null,
  }));
  const rank = (r: ComparisonRun) => r.name === REFERENCE_RUN ? 0 : isSeedRepeat(r) ? 1 : 2;
  return runs.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** A run that repeats the reference with other seeds only. */
function isSeedRepeat(run: ComparisonRun): boolean {
  return !!run.changes?.length && run.changes.every((c) => SEED_KEYS.has(c.split(" ")[0]));
}

export const COMPARISON_HEADERS = [
  "run",
  "change against the reference",
  "steps",
  "ika's protocol ACDC-30 (%)",
  "mIoU 19 (%)",
  "PQ (%)",
  "things PQ (%)",
  "AP (%)",
  "frames",
  "training (s/step)",
];

function changeText(run: ComparisonRun): string {
  if (run.name === REFERENCE_RUN) return "the reference";
  if (run.changes === null) return "–";
  return run.changes.length ? run.changes.map((c) => `\`${c}\``).join(", ") : "none";
}

/**
 * One row per run (– where a figure is missing). Training seconds per step are the record's wall time: runs trained
 * side by side share the cores, so the bench's step time, not this, is the speed comparison.
 */
export function comparisonRows(runs: readonly ComparisonRun[]): Cell[][] {
  return runs.map((r) => {
    const e = r.evaluation;
    return [
      r.shortName,
      changeText(r),
      `${r.steps}/${r.config.steps}`,
      percent(e?.ikaProtocol?.miou),
      percent(e?.semantic?.miou),
      percent(e?.panoptic?.all.pq),
      percent(e?.panoptic?.things.pq),
      percent(e?.instance?.ap),
      e ? String(e.frames) : "–",
      r.steps ? (r.trainingSeconds / r.steps).toFixed(2) : "–",
    ];
  });
}

/** The scores the bars show, per evaluated run. */
const SCORED: [string, (e: EvalRecord) => number | undefined][] = [
  ["ika's protocol", (e) => e.ikaProtocol?.miou],
  ["mIoU 19", (e) => e.semantic?.miou],
  ["PQ", (e) => e.panoptic?.all.pq],
];

/** The evaluated runs' scores as grouped bars (lib/viz/metric_charts.ts). */
export function comparisonScores(runs: readonly ComparisonRun[]): GroupScore[] {
  return runs.flatMap((r) =>
    r.evaluation ? SCORED.map(([metric, of]) => ({ group: r.shortName, metric, value: of(r.evaluation!) ?? NaN })) : []
  );
}

/**
 * How far a repeat of the reference with other seeds lands from it, per score (absolute, in points; the largest gap
 * when there are several repeats): the noise one run carries. Null until the reference and a repeat are evaluated.
 */
export function seedNoise(runs: readonly ComparisonRun[]): { metric: string; points: number }[] | null {
  const reference = runs.find((r) => r.name === REFERENCE_RUN);
  const repeats = runs.filter((r) => isSeedRepeat(r) && r.evaluation);
  if (!reference?.evaluation || repeats.length === 0) return null;
  return SCORED.map(([metric, of]) => ({
    metric,
    points: Math.max(
      ...repeats.map((r) => 100 * Math.abs((of(r.evaluation!) ?? NaN) - (of(reference.evaluation!) ?? NaN))),
    ),
  }));
}

/** The noise as a sentence under the table (report and README). */
export function seedNoiseSentence(runs: readonly ComparisonRun[]): string {
  const noise = seedNoise(runs);
  return noise
    ? `Noise: the reference's repeat with another seed lands ${
      noise.map((n) => `${n.points.toFixed(1)} points (${n.metric})`).join(", ")
    } from it.`
    : "Noise: the reference's repeat with another seed is not evaluated yet.";
}
