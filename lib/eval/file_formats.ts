// Recognises the official result and ground-truth formats on disk (Cityscapes gtFine, KITTI, COCO-panoptic,
// Cityscapes semantic / instance results), picks the evaluation task they allow, and pairs prediction files with
// ground-truth frames by name (cityscapesScripts' `<frame>*` rule).
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { findFiles } from "../io/find_files.ts";

export type GtFormat = "cityscapes" | "kitti" | "coco-panoptic";
export type PredFormat = "labelIds" | "instance-txt" | "coco-panoptic";
export type Task = "semantic" | "instance" | "panoptic";

export const TASKS: readonly Task[] = ["semantic", "instance", "panoptic"];

/** Which ground truth and prediction formats each task scores. */
export const TASK_FORMATS: Record<Task, { gt: readonly GtFormat[]; pred: PredFormat }> = {
  semantic: { gt: ["cityscapes", "kitti"], pred: "labelIds" },
  instance: { gt: ["cityscapes", "kitti"], pred: "instance-txt" },
  panoptic: { gt: ["coco-panoptic"], pred: "coco-panoptic" },
};

export const GT_LABEL_SUFFIX = "_gtFine_labelIds.png";
export const GT_INSTANCE_SUFFIX = "_gtFine_instanceIds.png";
export const PRED_LABEL_SUFFIX = "_labelIds.png";
/** The COCO-panoptic JSON a predictions folder may hold (`deno task predict` writes it beside its PNGs). */
export const PRED_PANOPTIC_JSON = "panoptic.json";

/** The COCO-panoptic JSON of `pred`: the file itself, or the folder's PRED_PANOPTIC_JSON. */
export function predPanopticJson(pred: string): string {
  return statSync(pred).isDirectory() ? join(pred, PRED_PANOPTIC_JSON) : pred;
}

function describeFolder(dir: string): string {
  const entries = readdirSync(dir).sort();
  if (entries.length === 0) return "the folder is empty";
  const shown = entries.slice(0, 8).join(", ");
  return `the folder holds ${entries.length} entries: ${shown}${entries.length > 8 ? ", …" : ""}`;
}

function mustExist(path: string, side: string): void {
  if (!existsSync(path)) throw new Error(`${path}: ${side} not found`);
}

/** The ground-truth format at `path`; throws listing what was found when it is none of them. */
export function detectGt(path: string): GtFormat {
  mustExist(path, "ground truth");
  if (!statSync(path).isDirectory()) {
    if (path.endsWith(".json")) return "coco-panoptic";
    throw new Error(`${path}: ground truth must be a folder (Cityscapes gtFine, KITTI) or a COCO-panoptic .json`);
  }
  if (existsSync(join(path, "semantic_rgb")) || existsSync(join(path, "semantic"))) return "kitti";
  if (findFiles(path, GT_LABEL_SUFFIX).length > 0) return "cityscapes";
  throw new Error(
    `${path}: no ground truth recognised (no semantic_rgb/ or semantic/ folder for KITTI, no *${GT_LABEL_SUFFIX} ` +
      `for Cityscapes gtFine; pass a COCO-panoptic .json as a file); ${describeFolder(path)}`,
  );
}

/** The prediction formats present at `path` (a folder may hold several); throws when there is none. */
export function detectPred(path: string): PredFormat[] {
  mustExist(path, "predictions");
  if (!statSync(path).isDirectory()) {
    if (path.endsWith(".json")) return ["coco-panoptic"];
    throw new Error(`${path}: predictions must be a folder (*${PRED_LABEL_SUFFIX}, *.txt) or a COCO-panoptic .json`);
  }
  const found: PredFormat[] = [];
  if (findFiles(path, PRED_LABEL_SUFFIX).length > 0) found.push("labelIds");
  if (readdirSync(path).some((f) => f.endsWith(".txt"))) found.push("instance-txt");
  if (existsSync(join(path, PRED_PANOPTIC_JSON))) found.push("coco-panoptic");
  if (found.length === 0) {
    throw new Error(
      `${path}: no predictions recognised (no *${PRED_LABEL_SUFFIX} for semantic, no *.txt instance lists, no ` +
        `${PRED_PANOPTIC_JSON} for panoptic; or pass a COCO-panoptic .json as a file); ${describeFolder(path)}`,
    );
  }
  return found;
}

/**
 * The task to score: `requested` when the formats allow it, else the only one they allow; throws naming the
 * formats found when none fits or several do.
 */
export function chooseTask(
  gt: { path: string; format: GtFormat },
  pred: { path: string; formats: readonly PredFormat[] },
  requested: string | null,
): Task {
  const fits = TASKS.filter((t) =>
    TASK_FORMATS[t].gt.includes(gt.format) && pred.formats.includes(TASK_FORMATS[t].pred)
  );
  const found = `found ${gt.format} ground truth in ${gt.path} and ${
    pred.formats.join(" + ")
  } predictions in ${pred.path}`;
  if (requested !== null) {
    if (!TASKS.includes(requested as Task)) throw new Error(`unknown task "${requested}" (use ${TASKS.join(", ")})`);
    const t = requested as Task;
    if (!fits.includes(t)) {
      throw new Error(
        `task ${t} needs ${TASK_FORMATS[t].gt.join(" or ")} ground truth and ${TASK_FORMATS[t].pred} predictions; ` +
          found,
      );
    }
    return t;
  }
  if (fits.length === 1) return fits[0];
  if (fits.length === 0) throw new Error(`these files allow no evaluation: ${found}`);
  throw new Error(`several tasks fit (${fits.join(", ")}): pass --task; ${found}`);
}

/**
 * Pairs each frame name with its prediction file among `files`: the one whose name starts with `<frame>_` or
 * `<frame>.` (as cityscapesScripts globs `<frame>*`). No match or several matches is an error naming the frame.
 */
export function pairPredictions(names: readonly string[], files: readonly string[], predDir: string): string[] {
  const bases = files.map((f) => basename(f));
  return names.map((name) => {
    const matches = files.filter((_, i) => bases[i].startsWith(`${name}_`) || bases[i].startsWith(`${name}.`));
    if (matches.length === 0) throw new Error(`${predDir}: found no prediction for frame ${name} (${name}_*)`);
    if (matches.length > 1) {
      throw new Error(
        `${predDir}: several predictions for frame ${name}: ${matches.map((m) => basename(m)).join(", ")}`,
      );
    }
    return matches[0];
  });
}
