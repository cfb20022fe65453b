// Renders rows as a Markdown table and shows Markdown in a notebook (as a rich output, not a bare expression).

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

/** Displays Markdown in the running Jupyter notebook, or prints it outside Jupyter. */
export async function showMarkdown(markdown: string): Promise<void> {
  if (inJupyter()) {
    await Deno.jupyter.display({ "text/markdown": markdown }, { raw: true });
  } else {
    console.log(markdown);
  }
}

/** True inside the Deno Jupyter kernel. */
export function inJupyter(): boolean {
  return Deno.mainModule.includes("$deno$jupyter");
}
