// Subprocess of the bench section "predict": starts like `deno task predict` (backend with every core unless
// PANOPTIC_WASM_THREADS says otherwise), loads a model and predicts image files into a folder as the task does
// (predictImages: decoding and writing overlap the network), printing one JSON line for the start-up, then one per
// image when its outputs are written: seconds since the previous one, the stages' seconds (which overlap), resident
// memory and live tensors.
// Usage: deno run -A tools/bench/predict_timing.ts <checkpoint> <out dir> <image> [<image> ...]
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../../lib/runtime/backend.ts";
import { loadPanopticModel } from "../../lib/model/load.ts";
import { predictImages, type PredictionSeconds } from "../../lib/eval/predict_image.ts";

/** The first line: the backend's log line and seconds from the script's start to the model loaded. */
export interface PredictStartLine {
  backend: string;
  startupSeconds: number;
}

/** One line per image. */
export interface PredictFrameLine {
  image: string;
  seconds: number;
  stages: PredictionSeconds;
  rssMb: number;
  tensors: number;
}

if (import.meta.main) {
  const [checkpoint, outDir, ...images] = Deno.args;
  if (!checkpoint || !outDir || images.length === 0) {
    console.error("usage: predict_timing.ts <checkpoint> <out dir> <image> [<image> ...]");
    Deno.exit(2);
  }
  const start = performance.now();
  const lines: string[] = [];
  await initBackend({ log: (line) => lines.push(line) });
  const loaded = await loadPanopticModel(checkpoint);
  const first: PredictStartLine = { backend: lines.join("; "), startupSeconds: (performance.now() - start) / 1000 };
  console.log(JSON.stringify(first));
  let last = performance.now();
  await predictImages(loaded.model, images, outDir, { checkpoint: loaded.modelDir }, (image, r) => {
    const now = performance.now();
    const line: PredictFrameLine = {
      image,
      seconds: (now - last) / 1000,
      stages: r.seconds,
      rssMb: Deno.memoryUsage().rss / 2 ** 20,
      tensors: tf.memory().numTensors,
    };
    last = now;
    console.log(JSON.stringify(line));
  });
  loaded.model.dispose();
}
