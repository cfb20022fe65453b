// Renders the research tables of docs/research/ (driving datasets and panoptic methods, each number with its source)
// as Markdown for the report. The JSON files are the only place where external figures are typed in.
import { readFileSync } from "node:fs";
import { markdownTable } from "../../lib/viz/markdown_table.ts";

type Value = string | number | null | undefined;
interface Sourced {
  value?: Value;
  source?: string;
}

interface DatasetEntry {
  name: string;
  citation: string;
  images_with_fine_labels: Record<string, Value> & Sourced;
  evaluated_semantic_classes: Sourced;
  thing_classes: Sourced;
  instance_labels: Sourced;
  image_resolution: Sourced;
  licence: Sourced;
  availability?: Sourced;
}

interface MethodRow {
  backbone: string;
  cityscapes_val_PQ: Value;
  mIoU: Value;
  AP: Value;
  source: string;
  metric_note?: string;
  test?: string | null;
  extra_data?: string | null;
}

interface MethodEntry {
  name: string;
  paper: { title: string; first_author: string; venue: string; year: number };
  family: string;
  rows: MethodRow[];
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch (e) {
    throw new Error(`${path}: not a readable research table (${e instanceof Error ? e.message : e})`);
  }
}

const text = (v: Value) => (v === null || v === undefined ? "n/a" : String(v));
/** First clause of a long value (licence texts), for a table cell. */
const short = (v: Value) => text(v).split(/[:;(]/)[0].trim();
const cell = (s: string) => s.replaceAll("|", "/").replaceAll("\n", " ");

export function datasetTable(path: string): string {
  const { datasets } = readJson<{ datasets: DatasetEntry[] }>(path);
  const split = (d: DatasetEntry) => {
    const i = d.images_with_fine_labels;
    return ["train", "val", "test"].map((k) => text(i[k])).join(" / ");
  };
  return markdownTable(
    ["dataset", "labelled images train / val / test", "classes", "thing classes", "instances", "resolution", "licence"],
    datasets.map((d) =>
      [
        d.name,
        split(d),
        text(d.evaluated_semantic_classes.value),
        text(d.thing_classes.value),
        text(d.instance_labels.value),
        text(d.image_resolution.value),
        short(d.licence.value),
      ].map(cell)
    ),
  ) + "\n\nSources (one per dataset; every figure's own source is in `docs/research/datasets.json`):\n\n" +
    datasets.map((d) => `- ${d.name}: ${cell(d.citation)}`).join("\n");
}

export function methodTable(path: string): string {
  const { methods } = readJson<{ methods: MethodEntry[] }>(path);
  const rows = methods.flatMap((m) =>
    m.rows.map((r) =>
      [
        m.name,
        m.family,
        r.backbone,
        text(r.cityscapes_val_PQ),
        text(r.mIoU),
        text(r.AP),
        [r.test, r.extra_data && r.extra_data !== "none" ? `extra data: ${r.extra_data}` : null, r.metric_note]
          .filter((x) => x).join("; "),
        r.source,
      ].map((x) => cell(text(x)))
    )
  );
  return markdownTable(
    ["method", "family", "backbone", "PQ", "mIoU", "AP", "protocol", "source"],
    rows,
  ) + "\n\nPapers: " +
    methods.map((m) =>
      `${m.name}: ${m.paper.first_author} et al., *${m.paper.title}*, ${m.paper.venue} ${m.paper.year}`
    )
      .join("; ") +
    ".";
}
