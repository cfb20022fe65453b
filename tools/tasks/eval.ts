// `deno task eval`: scores a trained model on a KITTI split or a Cityscapes-format panoptic JSON (--checkpoint), or
// prediction files against ground-truth files in the official formats (--gt/--pred); prints per-class tables and
// writes a JSON record.
import cliProgress from "cli-progress";
import { initBackend } from "../../lib/runtime/backend.ts";
import { evaluateFiles } from "../../lib/eval/file_eval.ts";
import { TASKS } from "../../lib/eval/file_formats.ts";
import { DEFAULT_EVAL, evaluateCheckpoint } from "../../lib/eval/model_eval.ts";
import { type EvalRecord, recordTables, writeEvalRecord } from "../../lib/eval/record.ts";
import { DEFAULT_RUN_DIR } from "../../lib/train/config.ts";
import { parseTaskArgs } from "./args.ts";

const HELP = `deno task eval [model options] | --gt PATH --pred PATH [file options]
Model mode (a trained model on a KITTI split or on Cityscapes-format panoptic ground truth):
  --checkpoint PATH   run folder (its model/, else its newest checkpoint), model folder or checkpoint step folder;
                      default ${DEFAULT_RUN_DIR}
  --data PATH         KITTI semantics folder (default data/kitti), or a Cityscapes-format panoptic JSON (COCO
                      panoptic: *_trainId.json with trainId categories, other names labelIds; PNGs in the folder
                      named like it, else beside it)
  --split NAME        KITTI: split file under <data>/splits; default acdc_val
  --instances DIR     KITTI: Cityscapes-format instanceIds folder for PQ and AP, used unless the KITTI folder has
                      its own instance/ maps; default data/kitti-instances ("none": semantic only without them)
  --images DIR        panoptic JSON: folder searched for its images; default <JSON's folder>/../leftImg8bit
  --frames N          first N frames (0 = all); default 0
  --scale S           resize factor before the network; default 1
  --flip              also run the network on each mirrored frame and average the two (the Panoptic-DeepLab
                      paper's flip test; twice the network's time); the record's default name ends in -flip
  --workers N         Deno workers running the network on frames at once, each with its own copy of the model and
                      the cores divided among them; 1 = this thread; default 2 on the wasm backend with two cores or
                      more (evaluations of 4 frames or more), else 1
  --out FILE          default <run folder>/eval-<split, or the JSON's name>.json for the whole split at full size
                      on the default data (the record the report reads); any other evaluation's name adds what
                      differs, e.g. eval-acdc_val-frames10-scale0.5.json, -semantic, -data-<folder>
File mode (any method's outputs, no model):
  --gt PATH           Cityscapes gtFine folder (*_labelIds.png, *_instanceIds.png), KITTI folder (semantic_rgb/ or
                      semantic/) or COCO-panoptic JSON (PNGs in the folder named like it, else beside it)
  --pred PATH         folder of *_labelIds.png (semantic), Cityscapes instance results (*.txt + masks) or a
                      COCO-panoptic JSON, or a folder with panoptic.json (deno task predict's)
  --task T            semantic | instance | panoptic (default: detected from the files)
  --split NAME        KITTI ground truth: only the frames of this split; --frames N: only the first N frames
  --instances DIR     KITTI ground truth: Cityscapes-format instanceIds folder (for instance scores and iIoU), used
                      unless the KITTI folder has its own instance/ maps
  --out FILE          default ./eval.json`;

const args = parseTaskArgs("eval", HELP, {
  checkpoint: { type: "string" },
  data: { type: "string", default: DEFAULT_EVAL.data },
  split: { type: "string" },
  instances: { type: "string" },
  images: { type: "string" },
  frames: { type: "string", default: "0" },
  scale: { type: "string", default: "1" },
  flip: { type: "boolean", default: false },
  workers: { type: "string" },
  out: { type: "string" },
  gt: { type: "string" },
  pred: { type: "string" },
  task: { type: "string" },
});
const { values } = args;
const frames = args.number("frames", "count");
const scale = args.number("scale", "positive");
const workers = args.number("workers", "positive-count");
const task = args.choice("task", TASKS);

function fail(message: string): never {
  console.error(`eval: ${message}`);
  Deno.exit(1);
}

const bar = new cliProgress.SingleBar({
  format: "eval |{bar}| {value}/{total} frames | ETA {eta_formatted}",
  noTTYOutput: true,
  notTTYSchedule: 15_000,
  hideCursor: true,
}, cliProgress.Presets.shades_classic);
let started = false;
const onFrame = (done: number, total: number) => {
  if (!started) {
    bar.start(total, 0);
    started = true;
  }
  bar.update(done);
};

async function modelMode(): Promise<{ record: EvalRecord; out: string }> {
  if (values.task) fail("--task applies to file mode (--gt/--pred) only");
  await initBackend();
  const { record, defaultOut } = await evaluateCheckpoint({
    checkpoint: values.checkpoint ?? DEFAULT_RUN_DIR,
    data: values.data,
    split: values.split ?? DEFAULT_EVAL.split,
    instances: values.instances === "none" ? null : values.instances ?? DEFAULT_EVAL.instances,
    images: values.images,
    frames,
    scale,
    flip: values.flip,
    workers,
    onFrame,
    onLoaded: ({ modelDir, step, labels }) =>
      console.log(
        `model ${modelDir}${step === null ? "" : ` (step ${step})`}, semantic head: ${
          labels === "cityscapes19" ? "the 19 Cityscapes classes" : `${labels} (Cityscapes 19 from its channels)`
        }`,
      ),
  });
  return { record, out: values.out ?? defaultOut };
}

async function fileMode(): Promise<{ record: EvalRecord; out: string }> {
  if (!values.gt || !values.pred) fail("file mode needs both --gt and --pred");
  if (values.checkpoint) fail("--checkpoint (model mode) and --gt/--pred (file mode) exclude each other");
  if (values.flip) fail("--flip applies to model mode only");
  const record = await evaluateFiles({
    gt: values.gt,
    pred: values.pred,
    task: task ?? null,
    split: values.split ?? null,
    frames,
    instances: values.instances ?? null,
    onFrame,
  });
  return { record, out: values.out ?? "eval.json" };
}

try {
  const { record, out } = values.gt || values.pred ? await fileMode() : await modelMode();
  bar.stop();
  console.log(recordTables(record));
  writeEvalRecord(out, record);
  console.log(`record written to ${out}`);
} catch (e) {
  bar.stop();
  fail(e instanceof Error ? e.message : String(e));
}
