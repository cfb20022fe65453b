// `deno task predict <image.png> [...] [--checkpoint PATH] [--out DIR] [--scale S] [--score-threshold T]`: panoptic
// prediction on image files with a trained model → panoptic, semantic colour, labelIds and overlay PNGs and a
// segments JSON per image.
import { parseArgs } from "node:util";
import { initBackend } from "../../lib/runtime/backend.ts";
import { loadPanopticModel } from "../../lib/model/load.ts";
import { predictImage } from "../../lib/eval/predict_image.ts";
import { DEFAULT_RUN_DIR } from "../../lib/train/config.ts";
import { DEFAULT_SCORE_THRESHOLD } from "../../lib/viz/panoptic_overlay.ts";

const HELP = `deno task predict <image> [<image> ...] [options]
  --checkpoint PATH   run folder (its model/, else its newest checkpoint), model folder or checkpoint step folder;
                      default ${DEFAULT_RUN_DIR}
  --out DIR           output folder; default predictions
  --scale S           resize factor before the network; default 1
  --score-threshold T the overlay outlines and labels instances scoring at least T; default ${DEFAULT_SCORE_THRESHOLD}
Writes per image <stem>_panoptic.png (COCO-panoptic: id = labelId*1000 + k as R + 256 G + 256² B, 0 = void),
<stem>_semantic.png (Cityscapes colours), <stem>_labelIds.png (scoreable: deno task eval --gt … --pred DIR),
<stem>_overlay.png (class legend below the frame) and <stem>_segments.json.`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    checkpoint: { type: "string", default: DEFAULT_RUN_DIR },
    out: { type: "string", default: "predictions" },
    scale: { type: "string", default: "1" },
    "score-threshold": { type: "string", default: String(DEFAULT_SCORE_THRESHOLD) },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(HELP);
  Deno.exit(0);
}
if (positionals.length === 0) {
  console.error(`predict: no image given\n${HELP}`);
  Deno.exit(2);
}
const scale = Number(values.scale);
if (!(scale > 0)) {
  console.error(`predict: --scale must be a positive number, got "${values.scale}"`);
  Deno.exit(2);
}
const scoreThreshold = Number(values["score-threshold"]);
if (!(scoreThreshold >= 0 && scoreThreshold <= 1)) {
  console.error(`predict: --score-threshold must be a number in [0, 1], got "${values["score-threshold"]}"`);
  Deno.exit(2);
}

try {
  await initBackend();
  const loaded = await loadPanopticModel(values.checkpoint);
  console.log(`model ${loaded.modelDir}${loaded.step === null ? "" : ` (step ${loaded.step})`}`);
  for (const image of positionals) {
    const result = await predictImage(loaded.model, image, values.out, {
      scale,
      checkpoint: loaded.modelDir,
      scoreThreshold,
    });
    const things = result.segments.filter((s) => s.isThing).length;
    console.log(
      `${image}: ${result.segments.length} segments (${things} instances) → ${Object.values(result.files).join(", ")}`,
    );
  }
  loaded.model.dispose();
} catch (e) {
  console.error(`predict: ${e instanceof Error ? e.message : e}`);
  Deno.exit(1);
}
