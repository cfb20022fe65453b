// Worker side of the inference pool (lib/model/inference_pool.ts): its own tfjs backend and copy of a saved model;
// answers frames with their heads (predictHeads), the arrays transferred back.
/// <reference lib="deno.worker" />
import type * as tfl from "@tensorflow/tfjs-layers";
import { initBackend } from "../runtime/backend.ts";
import { type Answer, serveRequests } from "../runtime/worker_rpc.ts";
import type { LabelSetName } from "../data/labels/descriptor.ts";
import { type Heads, type InferenceOptions, predictHeads } from "./inference.ts";
import { loadPanopticModel } from "./load.ts";

export type InferenceRequest =
  | { type: "init"; modelDir: string; backend: string; wasmThreads: number }
  | { type: "heads"; rgb: Uint8Array; height: number; width: number; options: InferenceOptions };

/** Heads as they cross to the main thread: the label set by name (its descriptor holds functions). */
export type PostedHeads = Omit<Heads, "full"> & { full: { labels: LabelSetName; classes: Uint8Array } | null };

export type InferenceReply = { type: "ready" } | { type: "heads"; heads: PostedHeads; seconds: number };

let model: tfl.LayersModel | null = null;

async function handle(msg: InferenceRequest): Promise<Answer<InferenceReply>> {
  switch (msg.type) {
    case "init":
      await initBackend({ force: msg.backend, wasmThreads: msg.wasmThreads, log: () => {} });
      model = (await loadPanopticModel(msg.modelDir)).model;
      return { reply: { type: "ready" } };
    case "heads": {
      if (!model) throw new Error("no model loaded (init first)");
      const start = performance.now();
      const heads = await predictHeads(model, msg.rgb, msg.height, msg.width, msg.options);
      const posted: PostedHeads = { ...heads, full: heads.full && { ...heads.full, labels: heads.full.labels.name } };
      const arrays = [heads.probabilities, heads.center, heads.offsets, ...(heads.full ? [heads.full.classes] : [])];
      return {
        reply: { type: "heads", heads: posted, seconds: (performance.now() - start) / 1000 },
        transfer: [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))],
      };
    }
  }
}

serveRequests(handle);
