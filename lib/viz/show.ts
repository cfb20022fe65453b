// Shows figures in the running Deno Jupyter notebook (PNG bytes, SVG text) as rich outputs; outside Jupyter
// (CLI, tests) it prints a one-line placeholder instead.

import { Buffer } from "node:buffer";
import { inJupyter } from "../report/table.ts";

/** Displays PNG bytes as an image/png output. */
export async function showPng(png: Uint8Array, label = "figure"): Promise<void> {
  if (inJupyter()) await Deno.jupyter.display({ "image/png": Buffer.from(png).toString("base64") }, { raw: true });
  else console.log(`[${label}: PNG, ${png.length} bytes]`);
}

/** Displays an SVG document (must carry xmlns) as an image/svg+xml output. */
export async function showSvg(svg: string, label = "figure"): Promise<void> {
  if (inJupyter()) await Deno.jupyter.display({ "image/svg+xml": svg }, { raw: true });
  else console.log(`[${label}: SVG, ${svg.length} chars]`);
}
