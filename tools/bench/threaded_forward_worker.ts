// Worker side of tools/bench/threaded_forward.ts: its own tfjs backend (wasm: T threads) and model replica, built
// from the task spec as the trainers build theirs; times nothing itself.
/// <reference lib="deno.worker" />
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import { initBackend } from "../../lib/runtime/backend.ts";
import { loadTask } from "../../lib/train/train_task.ts";
import { forwardAndRead, type ForwardReply, type ForwardRequest } from "./threaded_forward.ts";
import { type Answer, serveRequests } from "../../lib/runtime/worker_rpc.ts";

let model: tfl.LayersModel;
const inputs = new Map<string, tf.Tensor>();

async function handle(msg: ForwardRequest): Promise<Answer<ForwardReply>> {
  switch (msg.type) {
    case "init":
      await initBackend({ force: msg.backend, wasmThreads: msg.wasmThreads, log: () => {} });
      model = (await loadTask(msg.spec)).model;
      break;
    case "input":
      inputs.get(msg.name)?.dispose();
      inputs.set(msg.name, tf.tensor(msg.input.data, msg.input.shape));
      break;
    case "forward": {
      const x = inputs.get(msg.name);
      if (!x) throw new Error(`no input named ${msg.name}`);
      await forwardAndRead(model, x);
      break;
    }
  }
  return { reply: { type: "ok" } };
}

serveRequests(handle);
