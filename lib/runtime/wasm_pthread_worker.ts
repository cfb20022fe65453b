// One pthread of tfjs-wasm's threaded build, run in a node:worker_threads worker started by lib/runtime/wasm_threads.ts.
// It evaluates Emscripten's own pthread worker script as a browser worker would: `process` is hidden so that the
// script and the glue take their web-worker paths, `importScripts` evaluates a file, messages go through
// `parentPort`.
import { parentPort, workerData } from "node:worker_threads";

if (!parentPort) throw new Error("lib/runtime/wasm_pthread_worker.ts runs only as a node:worker_threads worker");
const port = parentPort;
const { workerScript } = workerData as { workerScript: string };
const scope = globalThis as unknown as Record<string, unknown>;
delete scope.process;
scope.self = globalThis;
scope.importScripts = (path: string) => (0, eval)(`${Deno.readTextFileSync(path)}\n//# sourceURL=${path}`);
scope.postMessage = (message: unknown) => port.postMessage(message);

// The package ships the script as a CommonJS module exporting it as a string.
const exported = { exports: {} as { wasmWorkerContents?: string } };
new Function("module", Deno.readTextFileSync(workerScript))(exported);
const script = exported.exports.wasmWorkerContents;
if (!script) throw new Error(`${workerScript} does not export wasmWorkerContents`);
// The string holds raw "\n" escapes inside string literals: escape them as tfjs does before making its Blob.
(0, eval)(script.replace(/\n/g, "\\n"));
port.on("message", (data: unknown) => (scope.onmessage as (event: { data: unknown }) => void)({ data }));
