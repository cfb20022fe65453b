// The demo page's code (bundled with tfjs into one file by tools/tasks/web.ts, so the custom layer registers with
// the page's only tfjs): loads the committed model, takes a dropped photo or a KITTI example, runs the network and
// Panoptic-DeepLab post-processing in the page and draws the overlay, its legend and the segment list. URL
// parameters: ?backend=wasm|webgl|cpu forces a backend; ?example=<file> runs that example at once, then writes the
// segments, a few head values and the timings into <pre id="result"> (the end-to-end test reads them).
/// <reference lib="dom" />
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-webgl";
import { getThreadsCount, setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import "../lib/model/layers.ts"; // registers the custom layers model.json names
import { fuseForInference } from "../lib/model/inference_fusion.ts";
import { panopticFromModelHeads, predictHeads, sampleHeads } from "../lib/model/inference.ts";
import { panopticAnnotations, panopticOverlay, panopticSegments } from "../lib/viz/panoptic_overlay.ts";
import type { ExampleList } from "../tools/web/page.ts";

/** Photos wider than this are scaled down before the network (KITTI frames are 1242 px wide). */
const MAX_WIDTH = 1242;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = (text: string) => ($("status").textContent = text);

/** Renderers that draw WebGL on the CPU: the wasm backend is faster there. */
function softwareWebgl(): boolean {
  const gl = document.createElement("canvas").getContext("webgl2");
  if (!gl) return true;
  const info = gl.getExtension("WEBGL_debug_renderer_info");
  const renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : "";
  return /swiftshader|llvmpipe|software/i.test(renderer);
}

/**
 * Starts wasm on every core (threads run only where the page is cross-origin isolated). tfjs caps its thread pool at
 * half of navigator.hardwareConcurrency, assuming hyper-threading: the count reads doubled while the backend starts.
 */
async function startWasm(): Promise<boolean> {
  const cores = navigator.hardwareConcurrency || 1;
  setThreadsCount(cores);
  Object.defineProperty(navigator, "hardwareConcurrency", { configurable: true, get: () => 2 * cores });
  try {
    return await tf.setBackend("wasm");
  } finally {
    delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/** Starts the requested backend, else webgl on a GPU, else wasm, else cpu; returns its description. */
async function startBackend(requested: string | null): Promise<string> {
  setWasmPaths(new URL("wasm/", location.href).href);
  const order = requested ? [requested] : [...(softwareWebgl() ? [] : ["webgl"]), "wasm", "cpu"];
  for (const name of order) {
    try {
      if (await (name === "wasm" ? startWasm() : tf.setBackend(name))) {
        await tf.ready();
        if (name !== "wasm") return name;
        const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
        const threads = getThreadsCount();
        return `wasm (${simd ? "SIMD" : "no SIMD"}, ${threads} thread${threads === 1 ? "" : "s"}` +
          `${crossOriginIsolated ? "" : "; the page is not cross-origin isolated"})`;
      }
    } catch (e) {
      console.warn(`backend ${name} did not start`, e);
    }
  }
  throw new Error(`no tfjs backend started (tried ${order.join(", ")})`);
}

/** The RGB pixels of an image file, scaled to at most MAX_WIDTH wide, decoded without colour management. */
async function decodeRgb(blob: Blob): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  const probe = await createImageBitmap(blob);
  const scale = Math.min(1, MAX_WIDTH / probe.width);
  const width = Math.round(probe.width * scale), height = Math.round(probe.height * scale);
  probe.close();
  const bitmap = await createImageBitmap(blob, {
    colorSpaceConversion: "none",
    premultiplyAlpha: "none",
    ...(scale < 1 ? { resizeWidth: width, resizeHeight: height, resizeQuality: "high" as const } : {}),
  });
  const ctx = new OffscreenCanvas(width, height).getContext("2d")!;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const rgb = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) rgb.set(rgba.subarray(p * 4, p * 4 + 3), p * 3);
  return { rgb, width, height };
}

/** Runs the model on one image, draws the figure and lists the segments; returns what the test compares. */
async function segment(model: tfl.LayersModel, blob: Blob, name: string, attribution: string) {
  status(`${backendText}: running on ${name}…`);
  const { rgb, width, height } = await decodeRgb(blob);
  const start = performance.now();
  const heads = await predictHeads(model, rgb, height, width);
  const networkMs = performance.now() - start;
  const prediction = panopticFromModelHeads(heads);
  const totalMs = performance.now() - start;
  const canvas = $<HTMLCanvasElement>("figure");
  const annotations = panopticAnnotations(prediction, canvas.getContext("2d")!);
  canvas.width = annotations.width;
  canvas.height = annotations.height;
  const ctx = canvas.getContext("2d")!;
  const overlay = panopticOverlay(rgb, prediction);
  const rgba = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let p = 0; p < width * height; p++) rgba.set(overlay.data.subarray(p * 3, p * 3 + 3), p * 4);
  ctx.putImageData(new ImageData(rgba, width, height), 0, 0);
  annotations.draw(ctx);
  const segments = panopticSegments(prediction);
  $("segments").replaceChildren(...segments.map((s) => {
    const row = document.createElement("tr");
    for (const text of [s.label, s.score === null ? "stuff" : s.score.toFixed(2), String(s.area)]) {
      row.append(Object.assign(document.createElement("td"), { textContent: text }));
    }
    return row;
  }));
  $("attribution").textContent = attribution;
  status(
    `${backendText}: ${name} (${width}x${height}) in ${totalMs.toFixed(0)} ms ` +
      `(network ${networkMs.toFixed(0)} ms, post-processing ${(totalMs - networkMs).toFixed(0)} ms)`,
  );
  return { name, width, height, networkMs, totalMs, segments, heads: sampleHeads(heads) };
}

let backendText = "";

async function main() {
  const params = new URLSearchParams(location.search);
  backendText = await startBackend(params.get("backend"));
  status(`${backendText}: loading the model…`);
  const model = await tfl.loadLayersModel("model/model.json");
  fuseForInference(model);
  const examples = await (await fetch("examples/index.json")).json() as ExampleList;
  const picker = $<HTMLSelectElement>("example");
  picker.append(...examples.frames.map((f) => Object.assign(document.createElement("option"), { textContent: f })));
  const runExample = async (frame: string) => {
    const blob = await (await fetch(`examples/${frame}`)).blob();
    return segment(model, blob, `KITTI ${frame}`, examples.attribution);
  };
  let busy: Promise<unknown> = Promise.resolve();
  const queue = (job: () => Promise<unknown>) =>
    busy = busy.then(job).catch((e) => status(`error: ${e instanceof Error ? e.message : e}`));
  picker.onchange = () => picker.value && queue(() => runExample(picker.value));
  const runFile = (file: File | undefined) => file && queue(() => segment(model, file, file.name, ""));
  $<HTMLInputElement>("file").onchange = (e) => runFile((e.target as HTMLInputElement).files?.[0]);
  document.body.ondragover = (e) => e.preventDefault();
  document.body.ondrop = (e) => {
    e.preventDefault();
    runFile(e.dataTransfer?.files[0]);
  };
  status(`${backendText}: ready — drop a driving photo or pick a KITTI example`);
  const example = params.get("example");
  if (!example) return;
  picker.value = example;
  const repeat = Math.max(1, Number(params.get("repeat") ?? 1));
  const runs = [];
  for (let k = 0; k < repeat; k++) runs.push(await runExample(example));
  const last = runs[runs.length - 1];
  $("result").textContent = JSON.stringify({
    backend: backendText,
    timesMs: runs.map((r) => Math.round(r.totalMs)),
    ...last,
  });
}

main().catch((e) => {
  status(`error: ${e instanceof Error ? e.message : e}`);
  $("result").textContent = JSON.stringify({ error: String(e) });
});
