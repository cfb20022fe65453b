// The 2D canvas context our figures draw with, as the calls they make: the browser's CanvasRenderingContext2D and
// @napi-rs/canvas' SKRSContext2D both satisfy it, so one drawing function serves the web page and the Deno figures.

/** A text baseline (the values both canvas implementations accept). */
export type TextBaseline = "top" | "hanging" | "middle" | "alphabetic" | "ideographic" | "bottom";

export interface Context2D {
  font: string;
  textBaseline: TextBaseline;
  /** A CSS colour when we set it; either implementation may also hold a gradient or pattern object. */
  fillStyle: string | object;
  strokeStyle: string | object;
  fillRect(x: number, y: number, width: number, height: number): void;
  strokeRect(x: number, y: number, width: number, height: number): void;
  fillText(text: string, x: number, y: number): void;
  measureText(text: string): { width: number };
}
