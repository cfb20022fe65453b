// Renders an Observable Plot chart to standalone SVG text outside a browser (linkedom supplies the DOM).

import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

/** Plot.plot(options) rendered to an SVG string with the xmlns attribute set (legends are dropped). */
export function plotSvg(options: Plot.PlotOptions): string {
  const dom = parseHTML("<!DOCTYPE html><html><body></body></html>") as unknown as {
    document: NonNullable<Plot.PlotOptions["document"]>;
  };
  const figure = Plot.plot({ ...options, document: dom.document });
  const svg = figure.tagName.toLowerCase() === "svg" ? figure : figure.querySelector("svg");
  if (!svg) throw new Error("plotSvg: Plot produced no <svg>");
  svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  return svg.outerHTML;
}
