// The report's summary table: headline scores of a run's evaluation record (and of its records on the Cityscapes-format
// fixture frame and with mirrored frames averaged), the run's length (and the lengths of the runs whose weights it
// started from), and the training-step speed ratio against the PyTorch peer from the newest benchmark record. Missing
// records become rows saying so.
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import type { EvalRecord } from "../../lib/eval/record.ts";
import { checkpointStep } from "../../lib/model/checkpoint.ts";
import { resolveModelDir, runOf } from "../../lib/model/load.ts";
import { readRecords, type StepRecord } from "../../lib/train/trainer.ts";
import { type DatedBench, readEvalRecord } from "./records.ts";
import type { Cell } from "../../lib/viz/markdown_table.ts";

/**
 * ika's U-Net from the ACDC course on the same KITTI split, 30 classes, scored by the notebook (frames at 368x1248,
 * None a class: lib/eval/ika_protocol.ts; data/kitti README; ika acdc-notebooks).
 */
export const IKA_UNET_MIOU = { withoutAugmentation: 0.3437, withAugmentation: 0.3771 };

/** A fraction as a percentage with one decimal; "–" for a missing or NaN value. */
export function percent(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "–" : (100 * v).toFixed(1);
}

/** A run's evaluation record on the real Cityscapes-format panoptic frame of ../shared/data/fixtures. */
export const FIXTURE_RECORD = "eval-cityscapes_panoptic_dummy_trainId.json";

/** A run's evaluation record on the validation split with each frame and its mirror image averaged (eval --flip). */
export const FLIP_RECORD = "eval-acdc_val-flip.json";

/** The parts of a train-step bench record the summary reads (older records have no threaded run). */
interface TrainStepData {
  tfjs: { step: { medianMs: number } };
  threaded?: { threads: number; step: { medianMs: number } } | null;
  dataParallel?: { workers: number; step: { medianMs: number } } | null;
  torch?: { threads: number; stepMs: number } | { skipped: string } | null;
}

/** A run's length: "steps × batch, crop" and minutes, from its record (up to `upTo`) and config. */
interface RunLength {
  steps: string;
  minutes: number;
  /** Its config's initialWeights: the model it started from. */
  initialWeights: string | null;
}

function runLength(runDir: string, upTo = Infinity): RunLength | null {
  if (!existsSync(join(runDir, "train.jsonl"))) return null;
  const steps = readRecords(runDir).filter((r): r is StepRecord => r.type === "step" && r.step <= upTo);
  const config = JSON.parse(readFileSync(join(runDir, "config.json"), "utf8"));
  const last = steps[steps.length - 1];
  if (!last) return null;
  return {
    steps: `${last.step} × ${config.batchSize}, ${config.crop.join("x")}`,
    minutes: Math.round(last.elapsedSeconds / 60),
    initialWeights: config.initialWeights ?? null,
  };
}

/**
 * The runs whose weights `runDir` started from (config initialWeights, relative to the folder holding runs/, resolved
 * to the model folder training loaded: lib/model/load.ts), nearest first, each up to the step it gave.
 */
function lineage(runDir: string, length: RunLength): (RunLength & { name: string })[] {
  const root = resolve(runDir, "..", "..");
  const found: (RunLength & { name: string })[] = [];
  for (let from = length.initialWeights; from !== null && found.length < 10;) {
    let modelDir: string;
    try {
      modelDir = resolveModelDir(resolve(root, from));
    } catch {
      break; // no longer on disk: the lineage ends here
    }
    const step = (basename(dirname(modelDir)) === "checkpoints" ? checkpointStep(modelDir) : null) ?? Infinity;
    const run = runOf(modelDir);
    const earlier = run && runLength(run, step);
    if (!run || !earlier) break;
    found.push({ ...earlier, name: relative(root, run) });
    from = earlier.initialWeights;
  }
  return found;
}

export function summaryRows(runDir: string, evalRecord: EvalRecord | null, bench: DatedBench | null): Cell[][] {
  const rows: Cell[][] = [];
  if (evalRecord) {
    const pq = evalRecord.panoptic?.all;
    rows.push(
      ["semantic mIoU, 19 Cityscapes classes (%)", percent(evalRecord.semantic?.miou)],
      ["semantic mIoU, ika's ACDC 30 classes, at full resolution (%)", percent(evalRecord.schemes?.acdc30.miou)],
      [
        "semantic mIoU, ika's ACDC 30 classes by ika's protocol (368x1248, None scored) (%)",
        percent(evalRecord.ikaProtocol?.miou),
      ],
      [
        "  ika's U-Net under that protocol, same split, without / with augmentation (%)",
        `${percent(IKA_UNET_MIOU.withoutAugmentation)} / ${percent(IKA_UNET_MIOU.withAugmentation)}`,
      ],
      ["semantic mIoU, ika's 12 classes (%)", percent(evalRecord.schemes?.ika12.miou)],
      ["PQ / SQ / RQ, all classes (%)", [pq?.pq, pq?.sq, pq?.rq].map(percent).join(" / ")],
      ["instance AP / AP50 (%)", `${percent(evalRecord.instance?.ap)} / ${percent(evalRecord.instance?.ap50)}`],
      ["validation frames", evalRecord.frames],
    );
    const fixture = readEvalRecord(join(runDir, FIXTURE_RECORD));
    if (fixture) {
      const f = fixture.panoptic?.all;
      // Counted per class: the record's things summary holds TP and FN averaged over the thing classes.
      const thingClasses = fixture.panoptic?.perClass.filter((c) => c.isThing);
      const trueThings = thingClasses
        ? `, ${thingClasses.reduce((n, c) => n + c.tp + c.fn, 0)} true thing instances`
        : "";
      rows.push([
        `PQ / SQ / RQ on the Cityscapes-format test frame with true instances (deeplab2 test data: ` +
        `${fixture.frames} frame${fixture.frames === 1 ? "" : "s"}${trueThings}) (%)`,
        [f?.pq, f?.sq, f?.rq].map(percent).join(" / "),
      ]);
    }
    const flipped = readEvalRecord(join(runDir, FLIP_RECORD));
    if (flipped) {
      rows.push([
        `with each frame and its mirror image averaged (eval --flip, ${flipped.frames} frames): ika's protocol / ` +
        "mIoU 19 classes / PQ / AP (%)",
        [flipped.ikaProtocol?.miou, flipped.semantic?.miou, flipped.panoptic?.all.pq, flipped.instance?.ap]
          .map(percent).join(" / "),
      ]);
    }
  } else {
    rows.push(["evaluation", `no record yet: deno task eval --checkpoint ${runDir}`]);
  }
  const length = runLength(runDir);
  if (length) {
    const earlier = lineage(runDir, length);
    const from = earlier.map((e) => `, from the weights of ${e.name} (${e.steps})`).join("");
    const after = earlier.map((e) => `, after ${e.minutes} in ${e.name}`).join("");
    rows.push(
      ["training steps × batch, crop", `${length.steps}${from}`],
      ["training time (minutes)", earlier.length ? `${length.minutes}${after}` : length.minutes],
    );
  }
  if (bench) {
    const d = bench.result.data as TrainStepData;
    const torch = d.torch && "stepMs" in d.torch ? d.torch : null;
    const ratio = (ms: number) => torch ? `${(ms / torch.stepMs).toFixed(2)}×` : "no PyTorch peer in the record";
    const peer = `PyTorch CPU (${torch?.threads ?? "–"} threads)`;
    rows.push([`training step time, tfjs wasm (1 thread) / ${peer}`, ratio(d.tfjs.step.medianMs)]);
    if (d.threaded) {
      rows.push([
        `training step time, tfjs wasm (${d.threaded.threads} threads) / ${peer}`,
        ratio(d.threaded.step.medianMs),
      ]);
    }
    if (d.dataParallel) {
      rows.push([
        `training step time, tfjs wasm (${d.dataParallel.workers} data-parallel workers) / ${peer}`,
        ratio(d.dataParallel.step.medianMs),
      ]);
    }
  }
  return rows;
}
