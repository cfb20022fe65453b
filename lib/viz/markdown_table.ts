// Renders rows as a Markdown table (shown in notebooks with showMarkdown from lib/viz/show.ts).

export type Cell = string | number;

/** A Markdown table; numbers are right-aligned and printed with `digits` decimals when not integers. */
export function markdownTable(headers: string[], rows: Cell[][], digits = 3): string {
  const fmt = (c: Cell) => typeof c === "number" ? (Number.isInteger(c) ? String(c) : c.toFixed(digits)) : c;
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === "number"));
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [
    line(headers),
    line(numeric.map((n) => (n ? "---:" : "---"))),
    ...rows.map((r) => line(r.map(fmt))),
  ].join("\n");
}
