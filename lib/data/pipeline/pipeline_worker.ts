// Worker side of the data pipeline: opens a dataset source once, then for each request reads the named frame,
// augments it with the given seed, builds targets and transfers the typed arrays back.

/// <reference lib="deno.worker" />
import { openSource } from "../datasets/sources.ts";
import { prepareSample, transferList } from "./prepare.ts";
import type { WorkerReply, WorkerRequest } from "./pipeline.ts";

let opened: Promise<Awaited<ReturnType<typeof openSource>>> | null = null;
let config: Extract<WorkerRequest, { type: "init" }>["config"] | null = null;

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const msg = event.data;
  if (msg.type === "init") {
    opened = openSource(msg.source);
    opened.catch(() => {}); // reported with the first request
    config = msg.config;
    return;
  }
  try {
    if (!opened || !config) throw new Error("pipeline worker: request before init");
    const sample = await (await opened).read(msg.name);
    const prepared = prepareSample(sample, config, msg.seed);
    self.postMessage({ id: msg.id, prepared } satisfies WorkerReply, transferList(prepared));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    self.postMessage({ id: msg.id, error: message } satisfies WorkerReply);
  }
};
