// ika's protocol class by class for several runs side by side (from their evaluation records), each class marked by
// whether a Cityscapes-19 head can predict it at all: the table that shows where a head of ika's thirty classes gains.
import { LABEL_SETS, sharedClasses } from "../../lib/data/labels/descriptor.ts";
import type { EvalRecord } from "../../lib/eval/record.ts";
import type { Cell } from "../../lib/viz/markdown_table.ts";
import { percent } from "./summary.ts";

/** ikaClassRows' columns for runs named `names`. */
export function ikaClassHeaders(names: readonly string[]): string[] {
  return ["class", "a Cityscapes class", ...names.map((n) => `${n} (%)`)];
}

/**
 * One row per ACDC-30 class any record scores under ika's protocol (in class order): its name, whether the 19
 * Cityscapes classes hold it, and each record's IoU ("–" where a record does not score it or has no ika section).
 */
export function ikaClassRows(records: readonly (EvalRecord | null)[]): Cell[][] {
  const inCityscapes = sharedClasses(LABEL_SETS.cityscapes19, LABEL_SETS.acdc30);
  const scored = records.map((r) => new Map((r?.ikaProtocol?.perClass ?? []).map((c) => [c.id, c.iou])));
  return LABEL_SETS.acdc30.classes
    .filter((c) => scored.some((s) => typeof s.get(c.id) === "number"))
    .map((c) => [c.name, inCityscapes[c.id] >= 0 ? "yes" : "no", ...scored.map((s) => percent(s.get(c.id)))]);
}
