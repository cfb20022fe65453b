// End-to-end test of the demo page (deno task web) in Debian's headless Chromium: the built page, served on
// 127.0.0.1, runs a KITTI frame on tfjs' wasm backend and its panoptic output equals Deno's on the same wasm kernels
// (segments with their classes and areas; head values within 1e-4); the screenshot shows the figure and the text.
// Set WEB_SCREENSHOT=<file.png> to keep the screenshot for a look.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import "@tensorflow/tfjs-backend-cpu";
import { readRgb } from "../lib/io/image_io.ts";
import { type HeadSamples, panopticFromModelHeads, predictHeads, sampleHeads } from "../lib/model/inference.ts";
import { loadPanopticModel } from "../lib/model/load.ts";
import { wasmBinaryDir } from "../lib/runtime/backend.ts";
import { panopticSegments, type Segment } from "../lib/viz/panoptic_overlay.ts";
import { CHROMIUM } from "../tools/setup/system.ts";
import { buildPage, exampleList, KITTI_DIR, MODEL_DIR, servePage } from "../tools/web/page.ts";
import { inkShares, openPage } from "./testing/chromium.ts";

/** What the page writes into <pre id="result"> after ?example=…&repeat=N. */
interface PageResult {
  error?: string;
  backend: string;
  timesMs: number[];
  width: number;
  height: number;
  segments: Segment[];
  heads: HeadSamples;
}

/** Bundle size target of the issue (minified, without the wasm binaries and the weights). */
const MAX_BUNDLE_BYTES = 1.5e6;

const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

const NO_CHROMIUM = existsSync(CHROMIUM) ? "" : ` (ignored: ${CHROMIUM} is missing; deno task setup installs it)`;

Deno.test({
  name: `the web page segments a KITTI frame in headless Chromium as Deno does (wasm), and shows it${NO_CHROMIUM}`,
  ignore: NO_CHROMIUM !== "",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const built = await buildPage();
    assert.ok(built.bundleBytes <= MAX_BUNDLE_BYTES, `main.js is ${built.bundleBytes} bytes`);
    const frame = exampleList().frames[0];

    const { server, url } = servePage(0);
    let page: PageResult, png: Uint8Array;
    try {
      await using browser = await openPage(`${url}?example=${frame}&backend=wasm&repeat=2`);
      const text = await browser.waitFor<string>(
        "document.getElementById('result').textContent",
        60_000,
        "document.getElementById('status').textContent",
      );
      page = JSON.parse(text);
      assert.equal(page.error, undefined, `the page failed: ${page.error}\n${browser.console.join("\n")}`);
      png = await browser.screenshot();
    } finally {
      await server.shutdown();
    }
    console.log(`page: ${page.backend}, ${frame} ${page.width}x${page.height} in ${page.timesMs.join(", ")} ms`);
    assert.match(page.backend, /^wasm \(SIMD/);

    setWasmPaths(wasmBinaryDir());
    assert.ok(await tf.setBackend("wasm"), "wasm backend did not start in Deno");
    const { model } = await loadPanopticModel(MODEL_DIR);
    const image = await readRgb(join(KITTI_DIR, "image_2", frame));
    const heads = await predictHeads(model, image.data, image.height, image.width);
    const segments = panopticSegments(panopticFromModelHeads(heads));
    const samples = sampleHeads(heads);
    model.dispose();

    assert.deepEqual([page.width, page.height], [image.width, image.height]);
    assert.deepEqual(page.heads.pixels, samples.pixels);
    for (const head of ["probabilities", "center", "offsets"] as const) {
      const diff = maxDiff(page.heads[head], samples[head]);
      assert.ok(diff <= 1e-4, `${head}: the page's values differ from Deno's by up to ${diff}`);
    }
    const summary = (s: Segment[]) => s.map(({ panopticId, classId, area }) => ({ panopticId, classId, area }));
    assert.deepEqual(summary(page.segments), summary(segments));

    const { nonWhite, dark } = await inkShares(png);
    assert.ok(nonWhite > 0.2, `screenshot nearly blank: ${(100 * nonWhite).toFixed(1)}% non-white pixels`);
    assert.ok(dark > 0.005, `screenshot shows no text: ${(100 * dark).toFixed(2)}% dark pixels`);
    const keep = Deno.env.get("WEB_SCREENSHOT");
    if (keep) Deno.writeFileSync(keep, png);
  },
});
