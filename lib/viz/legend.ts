// Colour legends: for label tables as standalone SVG (swatch + text per entry, in columns), and as a strip of
// swatch + text chips drawn on a 2D canvas context (the browser's or @napi-rs/canvas') under a figure.
import type { Context2D } from "./context2d.ts";

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

/** A legend strip laid out for a width: its height and a function drawing it with its top edge at `top`. */
export interface LegendStrip {
  height: number;
  draw: (ctx: Context2D, top: number) => void;
}

/**
 * The entries as chips (swatch + label) wrapped into rows `width` px wide, on white, text of `fontSize` px; `measure`
 * measures the labels (its font is set).
 */
export function legendStrip(
  entries: readonly LegendEntry[],
  width: number,
  fontSize: number,
  measure: Context2D,
): LegendStrip {
  const font = `${fontSize}px DejaVu Sans, sans-serif`, pad = Math.round(fontSize / 2), row = fontSize + pad;
  measure.font = font;
  const chips: { entry: LegendEntry; x: number; y: number }[] = [];
  let x = pad, y = pad;
  for (const entry of entries) {
    const chipWidth = fontSize + pad / 2 + measure.measureText(entry.label).width;
    if (x > pad && x + chipWidth > width - pad) [x, y] = [pad, y + row];
    chips.push({ entry, x, y });
    x += chipWidth + 2 * pad;
  }
  const height = entries.length ? y + row : 0;
  return {
    height,
    draw: (ctx, top) => {
      ctx.fillStyle = "white";
      ctx.fillRect(0, top, width, height);
      ctx.font = font;
      ctx.textBaseline = "top";
      for (const { entry: { colour: [r, g, b], label }, x, y } of chips) {
        ctx.fillStyle = `rgb(${r},${g},${b})`;
        ctx.fillRect(x, top + y, fontSize, fontSize);
        ctx.strokeStyle = "#444";
        ctx.strokeRect(x, top + y, fontSize, fontSize);
        ctx.fillStyle = "black";
        ctx.fillText(label, x + fontSize + pad / 2, top + y);
      }
    },
  };
}
