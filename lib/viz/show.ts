// Shows figures in the running Deno Jupyter notebook (PNG bytes, SVG text) as rich outputs; outside Jupyter
// (CLI, tests) it prints a one-line placeholder instead. After each display it waits briefly: the Deno kernel can
// report a cell idle before a large display message is sent, and nbconvert then drops that output.

import { Buffer } from "node:buffer";

/** True inside the Deno Jupyter kernel. */
export function inJupyter(): boolean {
  return Deno.mainModule.includes("$deno$jupyter");
}

/**
 * Waits long enough for the kernel to send the outputs displayed so far (call it at the end of a cell whose
 * last output came from another display helper, e.g. showMarkdown). `size` = bytes of the last payload.
 */
export function settleOutputs(size = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 100 + size / 20_000));
}

/** Sends one rich output and gives the kernel time to flush it. */
async function display(bundle: Record<string, string>, size: number): Promise<void> {
  await Deno.jupyter.display(bundle, { raw: true });
  await settleOutputs(size);
}

/** Displays PNG bytes as an image/png output. */
export async function showPng(png: Uint8Array, label = "figure"): Promise<void> {
  if (inJupyter()) await display({ "image/png": Buffer.from(png).toString("base64") }, png.length);
  else console.log(`[${label}: PNG, ${png.length} bytes]`);
}

/**
 * Displays an SVG document (must carry xmlns) as an image/svg+xml output, plus an HTML <img> of it that exports
 * prefer: nbconvert's HTML export passes inline SVG through clean_html, which strips its drawing elements.
 */
export async function showSvg(svg: string, label = "figure"): Promise<void> {
  const img = `<img alt="${label.replace(/["<>&]/g, "")}" src="data:image/svg+xml;base64,${
    Buffer.from(svg).toString("base64")
  }">`;
  if (inJupyter()) await display({ "text/html": img, "image/svg+xml": svg }, 2 * svg.length);
  else console.log(`[${label}: SVG, ${svg.length} chars]`);
}

/** Displays Markdown as a text/markdown output (printed as is outside Jupyter). */
export async function showMarkdown(markdown: string): Promise<void> {
  if (inJupyter()) await display({ "text/markdown": markdown }, markdown.length);
  else console.log(markdown);
}
