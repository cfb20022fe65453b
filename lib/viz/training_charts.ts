// Training charts as SVG (Observable Plot): loss parts and validation scores against the step, from the JSONL
// records of one or more runs (lib/train/trainer.ts readRecords), and a learning-rate schedule.
import * as Plot from "@observablehq/plot";
import { plotSvg } from "./plot_svg.ts";

/** One run's records as readRecords returns them (step and validation lines). */
export interface RunRecords {
  name: string;
  records: readonly { type: string; step: number }[];
}

interface Point {
  series: string;
  step: number;
  value: number;
}

/** `keys` of the records of `type`, one point per record and key with a finite value (> 0 when `positive`). */
function points(runs: readonly RunRecords[], type: string, keys: readonly string[], positive: boolean): Point[] {
  const multi = runs.length > 1;
  return runs.flatMap((run) =>
    run.records.filter((r) => r.type === type).flatMap((r) =>
      keys.flatMap((key) => {
        const value = (r as unknown as Record<string, unknown>)[key];
        if (typeof value !== "number" || !Number.isFinite(value) || (positive && value <= 0)) return [];
        return [{ series: multi ? `${run.name} · ${key}` : key, step: r.step, value }];
      })
    )
  );
}

/** One label per distinct end point: the series ending there, joined (so coinciding lines do not overprint). */
function endLabels(data: Point[]): (Point & { label: string })[] {
  const last = new Map<string, Point>();
  for (const p of data) if ((last.get(p.series)?.step ?? -Infinity) <= p.step) last.set(p.series, p);
  const byPoint = new Map<string, Point[]>();
  for (const p of last.values()) {
    const key = `${p.step}|${p.value}`;
    byPoint.set(key, [...(byPoint.get(key) ?? []), p]);
  }
  return [...byPoint.values()].map((ps) => ({ ...ps[0], label: ps.map((p) => p.series).join(", ") }));
}

/** Right margin that fits the end labels (about 6.5 px per character at the default font size). */
function labelMargin(data: Point[]): number {
  return Math.max(150, ...endLabels(data).map((l) => Math.ceil(l.label.length * 6.5) + 12));
}

/** Lines labelled at their last point (the SVG export has no legend). */
function labelledLines(data: Point[], options: { smooth?: number; dots?: boolean }): Plot.Markish[] {
  const xy = { x: "step", y: "value", stroke: "series", z: "series" };
  const line = options.smooth && options.smooth > 1
    ? [
      Plot.lineY(data, { ...xy, strokeOpacity: 0.25 }),
      Plot.lineY(data, Plot.windowY({ k: options.smooth, anchor: "end", reduce: "mean" }, { ...xy, strokeWidth: 2 })),
    ]
    : [Plot.lineY(data, { ...xy, strokeWidth: 2 })];
  return [
    ...line,
    ...(options.dots ? [Plot.dot(data, { ...xy, fill: "series", r: 3 })] : []),
    Plot.text(endLabels(data), { x: "step", y: "value", text: "label", fill: "series", dx: 6, textAnchor: "start" }),
  ];
}

/**
 * Loss parts (`total`, `semantic`, `center`, `offset` by default) per step on a log scale, raw (faint) and as a
 * moving average over `smooth` steps. Values ≤ 0 (e.g. an offset loss on crops without instances) are left out.
 */
export function lossCurvesSvg(
  runs: readonly RunRecords[],
  options: { parts?: readonly string[]; smooth?: number; width?: number; height?: number } = {},
): string {
  const data = points(runs, "step", options.parts ?? ["total", "semantic", "center", "offset"], true);
  if (data.length === 0) throw new Error("lossCurvesSvg: the runs have no positive loss values");
  return plotSvg({
    width: options.width ?? 820,
    height: options.height ?? 360,
    marginRight: labelMargin(data),
    x: { label: "step", grid: true },
    y: { type: "log", label: "loss (log scale)", grid: true, tickFormat: "~g" },
    marks: labelledLines(data, { smooth: options.smooth ?? 10 }),
  });
}

/** Validation scores (mIoU, PQ, AP by default) against the step, one line with dots per run and score. */
export function validationCurvesSvg(
  runs: readonly RunRecords[],
  options: { metrics?: readonly string[]; width?: number; height?: number } = {},
): string {
  const data = points(runs, "validation", options.metrics ?? ["miou", "pq", "ap"], false);
  if (data.length === 0) throw new Error("validationCurvesSvg: the runs have no validation records");
  return plotSvg({
    width: options.width ?? 820,
    height: options.height ?? 320,
    marginRight: labelMargin(data),
    x: { label: "step", grid: true },
    y: { label: "score", grid: true, domain: [0, Math.max(...data.map((d) => d.value), 0.05)] },
    marks: labelledLines(data, { dots: true }),
  });
}

/** The learning rate of every step 0..steps-1 under `rate` (e.g. lib/train/schedule.ts learningRate). */
export function learningRateSvg(
  steps: number,
  rate: (step: number) => number,
  options: { warmupSteps?: number; width?: number; height?: number } = {},
): string {
  if (!(steps > 0)) throw new Error(`learningRateSvg: steps ${steps} must be positive`);
  const data = Array.from({ length: steps }, (_, step) => ({ step, lr: rate(step) }));
  return plotSvg({
    width: options.width ?? 820,
    height: options.height ?? 260,
    x: { label: "step", grid: true },
    y: { label: "learning rate", grid: true, tickFormat: "~e" },
    marks: [
      Plot.lineY(data, { x: "step", y: "lr", strokeWidth: 2, stroke: "steelblue" }),
      ...(options.warmupSteps
        ? [
          Plot.ruleX([options.warmupSteps], { stroke: "#999", strokeDasharray: "4,3" }),
          Plot.text([options.warmupSteps], {
            x: (d: number) => d,
            frameAnchor: "top",
            dx: 4,
            textAnchor: "start",
            text: () => "end of warm-up",
          }),
        ]
        : []),
      Plot.ruleY([0]),
    ],
  });
}
