// `deno task web [--port N] [--build-only]`: builds the demo page (web/ → web/dist) and serves it on 127.0.0.1 with the
// committed model; open the address it prints, drop a driving photo or pick a KITTI example.
import { parseArgs } from "node:util";
import { buildPage, servePage } from "../web/page.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8000" },
    "build-only": { type: "boolean", default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`web: --port ${values.port} is not a port number`);
  Deno.exit(2);
}
const { bundleBytes, wasmBytes } = await buildPage();
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
console.log(`web: built web/dist (main.js ${mb(bundleBytes)} minified; wasm binaries ${mb(wasmBytes)})`);
if (!values["build-only"]) console.log(`web: serving the page at ${servePage(port).url}`);
