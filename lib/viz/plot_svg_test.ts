import assert from "node:assert/strict";
import * as Plot from "@observablehq/plot";
import sharp from "sharp";
import { plotSvg } from "./plot_svg.ts";

Deno.test("plotSvg renders a bar chart to SVG that sharp can rasterise", async () => {
  const svg = plotSvg({
    marks: [Plot.barY([{ c: "road", n: 5 }, { c: "car", n: 2 }], { x: "c", y: "n" })],
    width: 300,
    height: 200,
  });
  assert.ok(svg.startsWith("<svg") && svg.includes('xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(svg.includes("road") && svg.includes("car"));
  const meta = await sharp(new TextEncoder().encode(svg)).metadata();
  assert.equal(meta.width, 300);
});
