// Image grids with captions and offset-arrow overlays drawn with @napi-rs/canvas; returns PNG bytes (encoded by
// sharp) for notebooks (Deno.jupyter.image) and reports.

import { type Canvas, createCanvas, type SKRSContext2D } from "@napi-rs/canvas";
import { encodePng } from "../io/image_io.ts";

/** An RGB (H*W*3) or gray (H*W) 8-bit image. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** One cell of a grid: an image, a caption, and optional drawing on top (in the image's own pixel units). */
export interface GridTile {
  image: RgbImage;
  caption?: string;
  draw?: (ctx: SKRSContext2D) => void;
}

/** Copies an RGB or gray image onto a new canvas of the same size. */
export function imageToCanvas(image: RgbImage): Canvas {
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext("2d");
  const pixels = image.width * image.height;
  const channels = image.data.length / pixels;
  if (channels !== 1 && channels !== 3) {
    throw new Error(`imageToCanvas: ${image.data.length} bytes is not ${image.width}x${image.height} RGB or gray`);
  }
  const rgba = new Uint8ClampedArray(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < 3; c++) rgba[p * 4 + c] = image.data[p * channels + (channels === 3 ? c : 0)];
    rgba[p * 4 + 3] = 255;
  }
  const data = ctx.createImageData(image.width, image.height);
  data.data.set(rgba);
  ctx.putImageData(data, 0, 0);
  return canvas;
}

/** The RGB pixels of a canvas (alpha dropped). */
export function canvasToImage(canvas: Canvas): RgbImage {
  const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
  const rgb = new Uint8Array(canvas.width * canvas.height * 3);
  for (let p = 0, q = 0; q < rgb.length; p += 4, q += 3) {
    rgb[q] = data[p];
    rgb[q + 1] = data[p + 1];
    rgb[q + 2] = data[p + 2];
  }
  return { data: rgb, width: canvas.width, height: canvas.height };
}

/**
 * An opaque canvas as PNG bytes, encoded by sharp: for a KITTI frame's figure a third of the CPU time of the
 * canvas' own encoder (which `deno task predict` pays beside the network).
 */
export function canvasPng(canvas: Canvas): Promise<Uint8Array> {
  return encodePng({ ...canvasToImage(canvas), channels: 3 });
}

/**
 * Lays tiles out in rows of `columns`, each scaled to `tileWidth` (keeping aspect), captions below, and
 * returns the PNG bytes.
 */
export async function imageGrid(
  tiles: readonly GridTile[],
  options: { columns: number; tileWidth: number; gap?: number; fontSize?: number },
): Promise<Uint8Array> {
  if (tiles.length === 0) throw new Error("imageGrid: no tiles");
  const gap = options.gap ?? 6, font = options.fontSize ?? 14;
  const captionH = tiles.some((t) => t.caption) ? font + 8 : 0;
  const tileH = Math.max(...tiles.map((t) => Math.round((t.image.height * options.tileWidth) / t.image.width)));
  const rows = Math.ceil(tiles.length / options.columns);
  const cols = Math.min(options.columns, tiles.length);
  const canvas = createCanvas(cols * (options.tileWidth + gap) + gap, rows * (tileH + captionH + gap) + gap);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "white";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  tiles.forEach((tile, k) => {
    const x = gap + (k % options.columns) * (options.tileWidth + gap);
    const y = gap + Math.floor(k / options.columns) * (tileH + captionH + gap);
    const scale = options.tileWidth / tile.image.width;
    ctx.save();
    ctx.translate(x, y);
    ctx.scale(scale, scale);
    ctx.drawImage(imageToCanvas(tile.image), 0, 0);
    tile.draw?.(ctx);
    ctx.restore();
    if (tile.caption) {
      ctx.fillStyle = "black";
      ctx.font = `${font}px DejaVu Sans, sans-serif`;
      ctx.fillText(tile.caption, x, y + Math.round(tile.image.height * scale) + font + 2, options.tileWidth);
    }
  });
  return await canvasPng(canvas);
}

/**
 * Returns a drawing function that puts an arrow from every `step`-th pixel with non-zero weight to the point
 * its offset (dy, dx interleaved) designates — for Panoptic-DeepLab centre offsets, the instance centre.
 */
export function offsetArrows(
  offsets: Float32Array,
  weights: Float32Array,
  width: number,
  height: number,
  options: { step?: number; colour?: string; lineWidth?: number } = {},
): (ctx: SKRSContext2D) => void {
  const step = options.step ?? 16;
  return (ctx) => {
    ctx.strokeStyle = options.colour ?? "rgba(255,255,255,0.85)";
    ctx.lineWidth = options.lineWidth ?? 1;
    for (let y = Math.floor(step / 2); y < height; y += step) {
      for (let x = Math.floor(step / 2); x < width; x += step) {
        const i = y * width + x;
        if (!weights[i]) continue;
        const ty = y + offsets[i * 2], tx = x + offsets[i * 2 + 1];
        const angle = Math.atan2(ty - y, tx - x), head = Math.min(6, Math.hypot(ty - y, tx - x) / 3);
        ctx.beginPath();
        ctx.moveTo(x, y);
        ctx.lineTo(tx, ty);
        ctx.lineTo(tx - head * Math.cos(angle - 0.5), ty - head * Math.sin(angle - 0.5));
        ctx.moveTo(tx, ty);
        ctx.lineTo(tx - head * Math.cos(angle + 0.5), ty - head * Math.sin(angle + 0.5));
        ctx.stroke();
      }
    }
  };
}
