// `deno task predict <image.png> [...] [--checkpoint PATH] [--out DIR] [--scale S] [--flip] [--score-threshold T]`:
// panoptic prediction on image files with a trained model → panoptic, semantic colour, labelIds and overlay PNGs and
// a segments JSON per image.
import { initBackend } from "../../lib/runtime/backend.ts";
import { loadPanopticModel } from "../../lib/model/load.ts";
import { type HeadsRunner, startRunner } from "../../lib/model/inference_pool.ts";
import { clashingImages, MAX_PREDICT_PIXELS, predictImages } from "../../lib/eval/predict_image.ts";
import { DEFAULT_RUN_DIR } from "../../lib/train/config.ts";
import { DEFAULT_SCORE_THRESHOLD } from "../../lib/viz/panoptic_overlay.ts";
import { parseTaskArgs } from "./args.ts";

const HELP = `deno task predict <image> [<image> ...] [options]
  --checkpoint PATH   run folder (its model/, else its newest checkpoint), model folder or checkpoint step folder;
                      default ${DEFAULT_RUN_DIR}
  --out DIR           output folder; default predictions
  --scale S           resize factor before the network; default 1
  --flip              also run the network on each mirrored image and average the two (twice the network's time)
  --score-threshold T the overlay outlines and labels instances scoring at least T; default ${DEFAULT_SCORE_THRESHOLD}
  --workers N         Deno workers running the network on images at once, each with its own copy of the model and
                      the cores divided among them; 1 = this thread; default 2 on the wasm backend with two cores or
                      more (4 images or more), else 1
Images of more than ${MAX_PREDICT_PIXELS} pixels (2048x1024) are scaled down to that many, keeping their aspect
ratio; the outputs then have that size, and the segments JSON records the file's size ("source") and "sourceScale".
Writes per image <stem>_panoptic.png (COCO-panoptic: id = labelId*1000 + k as R + 256 G + 256² B, 0 = void),
<stem>_semantic.png (Cityscapes colours), <stem>_labelIds.png, <stem>_overlay.png (class legend below the frame)
and <stem>_segments.json, and adds the image to the folder's panoptic.json (COCO panoptic). Score the folder with
deno task eval --gt <gtFine folder, KITTI folder or panoptic JSON> --pred DIR.`;

const args = parseTaskArgs("predict", HELP, {
  checkpoint: { type: "string", default: DEFAULT_RUN_DIR },
  out: { type: "string", default: "predictions" },
  scale: { type: "string", default: "1" },
  flip: { type: "boolean", default: false },
  "score-threshold": { type: "string", default: String(DEFAULT_SCORE_THRESHOLD) },
  workers: { type: "string" },
}, { positionals: true });
const { values, positionals } = args;
if (positionals.length === 0) args.usageError("no image given");
const scale = args.number("scale", "positive");
const scoreThreshold = args.number("score-threshold", "fraction");
const workers = args.number("workers", "positive-count");
const clash = clashingImages(positionals);
if (clash) {
  args.usageError(
    `${clash.first} and ${clash.second} have the same name (${clash.name}): their outputs would overwrite each ` +
      "other (rename one, or predict them into separate --out folders)",
  );
}

let runner: HeadsRunner | null = null;
try {
  await initBackend();
  const loaded = await loadPanopticModel(values.checkpoint);
  console.log(`model ${loaded.modelDir}${loaded.step === null ? "" : ` (step ${loaded.step})`}`);
  const options = { scale, flip: values.flip, checkpoint: loaded.modelDir, scoreThreshold };
  runner = await startRunner(loaded.model, loaded.modelDir, { frames: positionals.length, workers });
  await predictImages(runner, positionals, values.out, options, (image, result) => {
    const things = result.segments.filter((s) => s.isThing).length;
    if (result.width !== result.source.width) {
      console.log(
        `${image}: scaled ${result.source.width}x${result.source.height} → ${result.width}x${result.height} ` +
          `(more than ${MAX_PREDICT_PIXELS} pixels)`,
      );
    }
    const ms = (s: number) => `${Math.round(s * 1000)} ms`;
    const { read, network, postprocess, write } = result.seconds;
    console.log(
      `${image}: ${result.segments.length} segments (${things} instances) → ${
        Object.values(result.files).join(", ")
      } (read ${ms(read)}, network ${ms(network)}, post-processing ${ms(postprocess)}, writing ${ms(write)})`,
    );
  });
  runner.close();
  loaded.model.dispose();
} catch (e) {
  runner?.close();
  console.error(`predict: ${e instanceof Error ? e.message : e}`);
  Deno.exit(1);
}
