// Test helper run as a subprocess: saves checkpoint step 1 of a ~2M-parameter model, then starts saving step 2 with
// an optimizer whose state takes a minute to arrive, printing "stalled" once the model files are written; the test kills it.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { initBackend } from "../../runtime/backend.ts";
import { saveCheckpoint } from "../checkpoint.ts";

/** Every weight of the step-`step` model equals `step`, so a loaded checkpoint shows which save it came from. */
export function constantModel(step: number): tfl.LayersModel {
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1000], units: 2000 })] });
  model.setWeights(model.getWeights().map((w) => tf.fill(w.shape, step)));
  return model;
}

class StalledAdam extends tf.AdamOptimizer {
  override async getWeights(): ReturnType<tf.AdamOptimizer["getWeights"]> {
    console.log("stalled");
    await new Promise((resolve) => setTimeout(resolve, 60_000));
    return super.getWeights();
  }
}

if (import.meta.main) {
  await initBackend({ force: "cpu", log: () => {} });
  const dir = Deno.args[0];
  await saveCheckpoint(dir, { model: constantModel(1), optimizer: tf.train.adam(0.1), step: 1 });
  await saveCheckpoint(dir, { model: constantModel(2), optimizer: new StalledAdam(0.1, 0.9, 0.999), step: 2 });
}
