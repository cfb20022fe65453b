// The panoptic figure as a @napi-rs/canvas canvas (for files and notebooks): the overlay of lib/viz/panoptic_overlay.ts
// with its instance labels and the legend strip below. The web page draws the same figure on an HTML canvas.
import { type Canvas, createCanvas } from "@napi-rs/canvas";
import type { PanopticPrediction } from "../postprocess/panoptic.ts";
import { canvasToImage, type GridTile, imageToCanvas } from "./grid.ts";
import { panopticAnnotations, type PanopticDrawOptions, panopticOverlay } from "./panoptic_overlay.ts";

/** The panoptic overlay with its instance labels, and the legend strip below it. */
export function panopticFigure(
  image: Uint8Array,
  prediction: PanopticPrediction,
  options: PanopticDrawOptions = {},
): Canvas {
  const annotations = panopticAnnotations(prediction, createCanvas(1, 1).getContext("2d"), options);
  const canvas = createCanvas(annotations.width, annotations.height);
  const ctx = canvas.getContext("2d");
  ctx.drawImage(imageToCanvas(panopticOverlay(image, prediction, options)), 0, 0);
  annotations.draw(ctx);
  return canvas;
}

/** A grid tile of the panoptic figure (overlay, instance labels, legend). */
export function panopticTile(
  image: Uint8Array,
  prediction: PanopticPrediction,
  caption?: string,
  options: PanopticDrawOptions = {},
): GridTile {
  return { image: canvasToImage(panopticFigure(image, prediction, options)), caption };
}
