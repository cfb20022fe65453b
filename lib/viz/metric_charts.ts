// Evaluation charts as SVG (Observable Plot): per-class scores as coloured bars and a row-normalised confusion
// matrix heatmap (rows = ground truth, columns = prediction) from lib/metrics/semantic.ts counts.
import * as Plot from "@observablehq/plot";
import { plotSvg } from "./plot_svg.ts";

/** One bar: a class, its score (NaN = not scored, drawn as "n/a") and its colour. */
export interface ClassScore {
  name: string;
  value: number;
  colour: readonly [number, number, number];
}

/** Horizontal bars of per-class scores in [0, 1], in the given order, with the value printed beside each bar. */
export function classScoreBarsSvg(
  scores: readonly ClassScore[],
  options: { label?: string; width?: number } = {},
): string {
  if (scores.length === 0) throw new Error("classScoreBarsSvg: no classes");
  const rows = scores.map((s) => ({
    name: s.name,
    value: Number.isFinite(s.value) ? s.value : 0,
    text: Number.isFinite(s.value) ? s.value.toFixed(3) : "n/a",
    fill: `rgb(${s.colour.join(",")})`,
  }));
  return plotSvg({
    width: options.width ?? 700,
    height: 40 + rows.length * 22,
    marginLeft: 110,
    marginRight: 50,
    x: { domain: [0, 1], label: options.label ?? "IoU", grid: true },
    y: { domain: rows.map((r) => r.name), label: null },
    color: { type: "identity" },
    marks: [
      Plot.barX(rows, { x: "value", y: "name", fill: "fill", stroke: "#444", strokeWidth: 0.5 }),
      Plot.text(rows, { x: "value", y: "name", text: "text", dx: 4, textAnchor: "start" }),
      Plot.ruleX([0]),
    ],
  });
}

/**
 * Heatmap of `confusion` (numClasses rows of `columns` counts, row-major, e.g. SemanticStats.confusion with its
 * extra "void" column), each row divided by its sum; cells print the percentage when it is at least 1 %.
 */
export function confusionHeatmapSvg(
  confusion: ArrayLike<number>,
  rowNames: readonly string[],
  columnNames: readonly string[],
  options: { width?: number } = {},
): string {
  const n = rowNames.length, m = columnNames.length;
  if (confusion.length !== n * m) {
    throw new Error(`confusionHeatmapSvg: ${confusion.length} counts for ${n} rows x ${m} columns`);
  }
  const cells = [];
  for (let r = 0; r < n; r++) {
    let sum = 0;
    for (let c = 0; c < m; c++) sum += confusion[r * m + c];
    for (let c = 0; c < m; c++) {
      const share = sum > 0 ? confusion[r * m + c] / sum : 0;
      cells.push({
        gt: rowNames[r],
        pred: columnNames[c],
        share,
        text: share >= 0.01 ? `${Math.round(share * 100)}` : "",
      });
    }
  }
  const size = 28;
  return plotSvg({
    width: options.width ?? 130 + m * size,
    height: 130 + n * size,
    marginLeft: 110,
    marginBottom: 100,
    padding: 0.04,
    x: { domain: [...columnNames], label: "predicted →", tickRotate: -60 },
    y: { domain: [...rowNames], label: "↑ ground truth" },
    color: { type: "linear", domain: [0, 1], scheme: "blues" },
    marks: [
      Plot.cell(cells, { x: "pred", y: "gt", fill: "share" }),
      Plot.text(cells, {
        x: "pred",
        y: "gt",
        text: "text",
        fontSize: 9,
        fill: (d: { share: number }) => (d.share > 0.5 ? "white" : "black"),
      }),
    ],
  });
}

/** One bar of a grouped chart: a score in [0, 1] of `metric` for `group` (e.g. an ablation run). */
export interface GroupScore {
  group: string;
  metric: string;
  value: number;
}

/** Horizontal bars grouped by `group` (one row of bars per group, one colour per metric), values printed. */
export function groupedScoreBarsSvg(scores: readonly GroupScore[], options: { width?: number } = {}): string {
  const rows = scores.filter((s) => Number.isFinite(s.value));
  if (rows.length === 0) throw new Error("groupedScoreBarsSvg: no finite scores");
  const groups = [...new Set(rows.map((s) => s.group))];
  const metrics = [...new Set(rows.map((s) => s.metric))];
  return plotSvg({
    width: options.width ?? 760,
    height: 50 + groups.length * metrics.length * 18 + groups.length * 10,
    marginLeft: 110,
    marginRight: 60,
    x: { domain: [0, Math.max(...rows.map((s) => s.value), 0.05) * 1.1], label: "score", grid: true },
    y: { domain: metrics, axis: null },
    fy: { domain: groups, label: null },
    color: { domain: metrics, scheme: "tableau10" },
    marks: [
      Plot.barX(rows, { x: "value", y: "metric", fy: "group", fill: "metric" }),
      Plot.text(rows, {
        x: "value",
        y: "metric",
        fy: "group",
        text: (d: GroupScore) => `${d.metric} ${d.value.toFixed(3)}`,
        dx: 4,
        textAnchor: "start",
        fontSize: 10,
      }),
      Plot.ruleX([0]),
    ],
  });
}
