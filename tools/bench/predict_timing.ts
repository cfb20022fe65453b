// Subprocess of the bench section "predict": starts like `deno task predict` (backend with every core unless
// PANOPTIC_WASM_THREADS says otherwise; the task's inference workers unless told how many), loads a model and predicts
// image files into a folder as the task does (predictImages: decoding and writing overlap the network), printing one
// JSON line for the start-up, then one per image when its outputs are written: seconds since the previous one, the
// stages' seconds (which overlap), resident memory and live tensors.
// Usage: deno run -A tools/bench/predict_timing.ts <checkpoint> <out dir> <workers: N or auto> <image> [<image> ...]
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../../lib/runtime/backend.ts";
import { loadPanopticModel } from "../../lib/model/load.ts";
import { startRunner } from "../../lib/model/inference_pool.ts";
import { predictImages, type PredictionSeconds } from "../../lib/eval/predict_image.ts";

/**
 * The first line: the backend's log line, the inference workers (1 = the main thread) and seconds from the script's
 * start to the model loaded (in every worker).
 */
export interface PredictStartLine {
  backend: string;
  workers: number;
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
  const [checkpoint, outDir, workersArg, ...images] = Deno.args;
  if (!checkpoint || !outDir || !/^(auto|[1-9][0-9]*)$/.test(workersArg ?? "") || images.length === 0) {
    console.error("usage: predict_timing.ts <checkpoint> <out dir> <workers: N or auto> <image> [<image> ...]");
    Deno.exit(2);
  }
  const start = performance.now();
  const lines: string[] = [];
  await initBackend({ log: (line) => lines.push(line) });
  const loaded = await loadPanopticModel(checkpoint);
  const workers = workersArg === "auto" ? undefined : Number(workersArg);
  const runner = await startRunner(loaded.model, loaded.modelDir, { frames: images.length, workers });
  const first: PredictStartLine = {
    backend: lines.join("; "),
    workers: runner.parallel,
    startupSeconds: (performance.now() - start) / 1000,
  };
  console.log(JSON.stringify(first));
  let last = performance.now();
  await predictImages(runner, images, outDir, { checkpoint: loaded.modelDir }, (image, r) => {
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
  runner.close();
  loaded.model.dispose();
}
