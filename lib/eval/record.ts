// The JSON record of an evaluation (model or prediction files) with named per-class scores, and its printed
// Markdown tables: semantic IoU/iIoU, ACDC-30 / ika-12 mIoU (and ACDC-30 by ika's protocol), PQ/SQ/RQ
// (all/things/stuff), AP/AP50.
import type { LabelSetName } from "../data/labels/descriptor.ts";
import { ACDC30_CLASSES } from "../data/labels/acdc_labels.ts";
import { TRAIN_CLASS_NAMES } from "../data/labels/cityscapes_labels.ts";
import { IKA12_CLASSES } from "../data/labels/ika_labels.ts";
import { writeFileAtomic } from "../io/atomic_write.ts";
import type { IkaProtocolSection } from "./ika_protocol.ts";
import type { InstanceResult } from "../metrics/instance.ts";
import type { CategoryQuality, PanopticCategory, PanopticResult, PQSummary } from "../metrics/panoptic.ts";
import type { SemanticResult } from "../metrics/semantic.ts";
import { markdownTable } from "../viz/markdown_table.ts";
import type { FrameScore } from "./loop.ts";

/** NaN (a class without data) is written as null in the JSON; iIoU is null when not available (see SemanticResult). */
export interface SemanticSection {
  miou: number;
  miiou: number | null;
  pixelAccuracy: number;
  pixels: number;
  perClass: { id: number; name: string; iou: number; iiou: number | null }[];
}

export interface SchemeSection {
  miou: number;
  pixelAccuracy: number;
  perClass: { id: number; name: string; iou: number }[];
}

export interface PanopticSection {
  all: PQSummary;
  things: PQSummary;
  stuff: PQSummary;
  /** The scores of lib/metrics/panoptic.ts per category (NaN for a class with tp+fp+fn = 0), without its IoU sum. */
  perClass: ({ id: number; name: string; isThing: boolean } & Omit<CategoryQuality, "iouSum">)[];
}

export interface InstanceSection {
  ap: number;
  ap50: number;
  perClass: { id: number; name: string; ap: number; ap50: number }[];
}

/** What was evaluated: a model on a dataset split, or prediction files against ground-truth files. */
export type EvalSource =
  | {
    kind: "model";
    checkpoint: string;
    step: number | null;
    data: string;
    split: string;
    instances: string | null;
    scale: number;
    /** Mirrored-frame averaging at inference (InferenceOptions.flip); absent in older records: false. */
    flip?: boolean;
    /** The model's semantic head (lib/data/labels/descriptor.ts); absent in older records: "cityscapes19". */
    labels?: LabelSetName;
  }
  | { kind: "files"; gt: string; gtFormat: string; pred: string; predFormat: string; task: string };

export interface EvalRecord {
  source: EvalSource;
  createdAt: string;
  frames: number;
  /** Frames with instance labels (the only ones scored for PQ and AP in model mode). */
  instanceFrames: number;
  /** Where the instance labels came from, e.g. "kitti instance maps" or "pseudo labels (dir)"; null = none. */
  instanceSource: string | null;
  secondsPerFrame: number | null;
  semantic: SemanticSection | null;
  /** ika's class schemes, scored from the same predictions (model mode on KITTI). */
  schemes: { acdc30: SchemeSection; ika12: SchemeSection } | null;
  /** ACDC-30 as ika's notebook scores it (lib/eval/ika_protocol.ts; model mode on KITTI); absent in older records. */
  ikaProtocol?: IkaProtocolSection | null;
  panoptic: PanopticSection | null;
  instance: InstanceSection | null;
  /** Every frame's own scores, best mIoU first (model mode). */
  perFrame: FrameScore[] | null;
  /** Licence attribution of the data the figures derive from (KITTI), or null. */
  attribution: string | null;
}

export function semanticSection(r: SemanticResult, names: readonly string[] = TRAIN_CLASS_NAMES): SemanticSection {
  return {
    miou: r.miou,
    miiou: r.miiou,
    pixelAccuracy: r.pixelAccuracy,
    pixels: r.pixels,
    perClass: r.iou.map((iou, id) => ({ id, name: names[id] ?? String(id), iou, iiou: r.iiou?.[id] ?? null })),
  };
}

function schemeSection(r: SemanticResult, names: readonly string[]): SchemeSection {
  return {
    miou: r.miou,
    pixelAccuracy: r.pixelAccuracy,
    perClass: r.iou.map((iou, id) => ({ id, name: names[id] ?? String(id), iou })),
  };
}

/** Names of ika's schemes as scored by lib/eval/schemes.ts (ika-12 without its "none" class). */
const SCHEME_NAMES = {
  acdc30: ACDC30_CLASSES.map((c) => c.name),
  ika12: IKA12_CLASSES.map((c) => c.name),
} as const;

/** The record section of ika's schemes' results. */
export function schemesSection(r: Record<keyof typeof SCHEME_NAMES, SemanticResult>): EvalRecord["schemes"] {
  return { acdc30: schemeSection(r.acdc30, SCHEME_NAMES.acdc30), ika12: schemeSection(r.ika12, SCHEME_NAMES.ika12) };
}

export function panopticSection(r: PanopticResult, categories: readonly PanopticCategory[]): PanopticSection {
  return {
    all: r.all,
    things: r.things,
    stuff: r.stuff,
    perClass: categories.map((c) => {
      const q = r.perCategory.get(c.id)!;
      const absent = q.tp + q.fp + q.fn === 0 ? NaN : 1; // not averaged: written as null, not as a zero score
      return {
        id: c.id,
        name: c.name ?? String(c.id),
        isThing: c.isThing,
        pq: q.pq * absent,
        sq: q.sq * absent,
        rq: q.rq * absent,
        tp: q.tp,
        fp: q.fp,
        fn: q.fn,
      };
    }),
  };
}

export function instanceSection(r: InstanceResult, names: ReadonlyMap<number, string>): InstanceSection {
  return {
    ap: r.ap,
    ap50: r.ap50,
    perClass: [...r.perClass].map(([id, c]) => ({ id, name: names.get(id) ?? String(id), ap: c.ap, ap50: c.ap50 })),
  };
}

/** Writes the record as indented JSON (NaN → null), atomically. */
export function writeEvalRecord(path: string, record: EvalRecord): void {
  writeFileAtomic(path, JSON.stringify(record, null, 2) + "\n");
}

/** A score with three decimals; "–" for NaN, or null (how the JSON stores NaN). */
const score = (v: number | null) => (v === null || Number.isNaN(v) ? "–" : v.toFixed(3));

/** The record's tables as Markdown, for the console or a notebook. */
export function recordTables(record: EvalRecord, worstFrames = 3): string {
  const parts: string[] = [];
  const s = record.semantic;
  if (s) {
    parts.push(
      `Semantic (19 classes): mIoU ${score(s.miou)}, iIoU ${score(s.miiou)}, pixel accuracy ` +
        `${score(s.pixelAccuracy)}`,
      markdownTable(["class", "IoU", "iIoU"], s.perClass.map((c) => [c.name, score(c.iou), score(c.iiou)])),
    );
  }
  if (record.schemes) {
    parts.push(
      `ika's schemes: ACDC-30 mIoU ${score(record.schemes.acdc30.miou)}, ika-12 mIoU ${
        score(record.schemes.ika12.miou)
      }`,
    );
  }
  const ika = record.ikaProtocol;
  if (ika) {
    parts.push(
      `ika's protocol (frames resized to ${ika.resolution.join("x")}, the notebook's colours, None scored): ` +
        `ACDC-30 mIoU ${score(ika.miou)} over ${ika.classes} classes`,
    );
  }
  const p = record.panoptic;
  if (p) {
    const row = (name: string, q: PQSummary) => [name, score(q.pq), score(q.sq), score(q.rq), q.n];
    parts.push(
      `Panoptic quality: PQ ${score(p.all.pq)} (things ${score(p.things.pq)}, stuff ${score(p.stuff.pq)})`,
      markdownTable(["", "PQ", "SQ", "RQ", "classes"], [
        row("all", p.all),
        row("things", p.things),
        row("stuff", p.stuff),
      ]),
      markdownTable(
        ["class", "PQ", "SQ", "RQ", "TP", "FP", "FN"],
        p.perClass.map((c) => [c.name, score(c.pq), score(c.sq), score(c.rq), c.tp, c.fp, c.fn]),
      ),
    );
  }
  const a = record.instance;
  if (a) {
    parts.push(
      `Instance segmentation: AP ${score(a.ap)}, AP50 ${score(a.ap50)}`,
      markdownTable(["class", "AP", "AP50"], a.perClass.map((c) => [c.name, score(c.ap), score(c.ap50)])),
    );
  }
  if (record.perFrame && record.perFrame.length > 1) {
    const rows = (list: FrameScore[]) => list.map((f) => [f.name, score(f.miou), score(f.pixelAccuracy)]);
    const n = Math.min(worstFrames, Math.floor(record.perFrame.length / 2));
    parts.push(
      `Best and worst frames by mIoU (${n} each)`,
      markdownTable(["frame", "mIoU", "pixel acc."], [
        ...rows(record.perFrame.slice(0, n)),
        ...rows(record.perFrame.slice(-n)),
      ]),
    );
  }
  const time = record.secondsPerFrame === null ? "" : `, ${record.secondsPerFrame.toFixed(2)} s per frame`;
  const from = record.instanceSource ? ` from ${record.instanceSource}` : "";
  const flip = record.source.kind === "model" && record.source.flip ? ", each averaged with its mirror image" : "";
  parts.push(`${record.frames} frames (${record.instanceFrames} with instance labels${from})${flip}${time}`);
  if (record.attribution) parts.push(record.attribution);
  return parts.join("\n\n");
}
