// Colour legends for label tables as standalone SVG (swatch + text per entry, in columns).

/** One legend row. */
export interface LegendEntry {
  colour: readonly [number, number, number];
  label: string;
}

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** An SVG legend laid out column-major in `columns` columns of `columnWidth` px. */
export function legendSvg(
  entries: readonly LegendEntry[],
  options: { columns?: number; columnWidth?: number; title?: string } = {},
): string {
  const columns = options.columns ?? 3, columnWidth = options.columnWidth ?? 230, row = 20;
  const perColumn = Math.ceil(entries.length / columns);
  const top = options.title ? 26 : 4;
  const height = top + perColumn * row + 4;
  const items = entries.map((e, k) => {
    const x = 4 + Math.floor(k / perColumn) * columnWidth, y = top + (k % perColumn) * row;
    const [r, g, b] = e.colour;
    return `<rect x="${x}" y="${y}" width="28" height="15" fill="rgb(${r},${g},${b})" stroke="#444" stroke-width="0.5"/>` +
      `<text x="${x + 34}" y="${y + 12}">${escapeXml(e.label)}</text>`;
  });
  const title = options.title ? `<text x="4" y="17" font-weight="bold">${escapeXml(options.title)}</text>` : "";
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${columns * columnWidth + 8}" height="${height}" ` +
    `font-family="DejaVu Sans, sans-serif" font-size="12">${title}${items.join("")}</svg>`;
}
