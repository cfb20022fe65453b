// The demo page (web/): builds it into web/dist (web/main.ts bundled and minified with tfjs by `deno bundle`, the
// page, tfjs-backend-wasm's binaries) and serves it on 127.0.0.1 with the committed default model (<default run>/model,
// read in place) and a few KITTI frames as examples. Responses carry COOP/COEP headers: the page is cross-origin isolated,
// so the wasm backend runs on threads.
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { KITTI_ATTRIBUTION, readKittiSplit } from "../../lib/data/datasets/kitti.ts";
import { PROJECT_ROOT } from "../../lib/io/project.ts";
import { wasmBinaryDir } from "../../lib/runtime/backend.ts";
import { DEFAULT_RUN_DIR } from "../../lib/train/config.ts";

export const WEB_DIR = join(PROJECT_ROOT, "web");
export const DIST_DIR = join(WEB_DIR, "dist");
export const MODEL_DIR = join(PROJECT_ROOT, DEFAULT_RUN_DIR, "model");
export const KITTI_DIR = join(PROJECT_ROOT, "data", "kitti");
/** The examples: the first frames of the KITTI split held out from training. */
export const EXAMPLE_SPLIT = "acdc_val";
const EXAMPLE_COUNT = 8;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".bin": "application/octet-stream",
  ".png": "image/png",
};

/** What the server lists under examples/index.json: KITTI frames and their licence's attribution. */
export interface ExampleList {
  frames: string[];
  attribution: string;
}

export interface BuiltPage {
  /** Bytes of the minified bundle (main.js) and of the wasm binaries beside it. */
  bundleBytes: number;
  wasmBytes: number;
}

/** Bundles web/main.ts into web/dist/main.js (minified) and copies the page and the wasm binaries beside it. */
export async function buildPage(): Promise<BuiltPage> {
  mkdirSync(join(DIST_DIR, "wasm"), { recursive: true });
  const bundle = join(DIST_DIR, "main.js");
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--platform", "browser", "--minify", "-o", bundle, join(WEB_DIR, "main.ts")],
    cwd: PROJECT_ROOT,
  }).output();
  if (!out.success) throw new Error(`deno bundle failed: ${new TextDecoder().decode(out.stderr).slice(-2000)}`);
  copyFileSync(join(WEB_DIR, "index.html"), join(DIST_DIR, "index.html"));
  const wasmDir = wasmBinaryDir();
  let wasmBytes = 0;
  for (const file of readdirSync(wasmDir).filter((f) => f.endsWith(".wasm"))) {
    copyFileSync(join(wasmDir, file), join(DIST_DIR, "wasm", file));
    wasmBytes += statSync(join(wasmDir, file)).size;
  }
  return { bundleBytes: statSync(bundle).size, wasmBytes };
}

/** The example frames' file names and their licence's attribution. */
export function exampleList(): ExampleList {
  const frames = readKittiSplit(KITTI_DIR, EXAMPLE_SPLIT).slice(0, EXAMPLE_COUNT).map((f) => `${f}.png`);
  return { frames, attribution: KITTI_ATTRIBUTION };
}

/** The file a URL path maps to: dist/ for the page, the model folder, KITTI's image_2 for examples. */
function fileFor(path: string, examples: ExampleList): string | null {
  const inside = (root: string, rest: string) => {
    const file = normalize(join(root, rest));
    return file.startsWith(root + "/") && existsSync(file) && statSync(file).isFile() ? file : null;
  };
  if (path.startsWith("/model/")) return inside(MODEL_DIR, path.slice("/model/".length));
  if (path.startsWith("/examples/")) {
    const frame = path.slice("/examples/".length);
    return examples.frames.includes(frame) ? inside(join(KITTI_DIR, "image_2"), frame) : null;
  }
  return inside(DIST_DIR, path === "/" ? "index.html" : path.slice(1));
}

/** Serves the built page on 127.0.0.1:`port` (0 = a free port); returns the server and its address. */
export function servePage(port = 0): { server: Deno.HttpServer; url: string } {
  if (!existsSync(join(DIST_DIR, "main.js"))) throw new Error(`${DIST_DIR}: no built page (run deno task web)`);
  const examples = exampleList();
  const isolation = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };
  let url = "";
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port,
    onListen: (addr) => (url = `http://127.0.0.1:${addr.port}/`),
  }, (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    if (path === "/examples/index.json") return Response.json(examples, { headers: isolation });
    const file = fileFor(path, examples);
    if (!file) return new Response(`not found: ${path}`, { status: 404, headers: isolation });
    const type = TYPES[extname(file)] ?? "application/octet-stream";
    return new Response(Deno.readFileSync(file), { headers: { ...isolation, "Content-Type": type } });
  });
  return { server, url };
}
