// `deno task pseudo-labels`: derives Cityscapes-format instance labels for the KITTI frames from their semantic
// labels and a pretrained COCO detector (fetched into data/cache on first use), measures their quality, and
// writes data/kitti-instances/ (instanceIds PNGs, quality.json, README.md generated from it).
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { initBackend } from "../../lib/runtime/backend.ts";
import {
  DETECTOR_PACKAGE,
  DETECTOR_VERSION,
  fetchCenternet,
  loadCenternet,
} from "../../lib/model/centernet_package.ts";
import { readGray16, readImageSize, writePng } from "../../lib/io/image_io.ts";
import { listKittiFrames } from "../../lib/data/datasets/kitti.ts";
import {
  DEFAULT_PSEUDO_LABEL_OPTIONS,
  evaluateOnPanopticFrame,
  pseudoLabelKittiFrame,
} from "../../lib/pseudo_labels/labeller.ts";
import { addCoverage, emptyCoverage } from "../../lib/pseudo_labels/quality.ts";
import {
  type PseudoLabelQuality,
  readPseudoLabelQuality,
  renderPseudoLabelReadme,
} from "../../lib/pseudo_labels/readme.ts";
import { writeFileAtomic } from "../../lib/io/atomic_write.ts";
import { PROJECT_ROOT } from "../../lib/io/project.ts";
import { parseTaskArgs } from "./args.ts";

const COMMAND = "deno task pseudo-labels";
const FIXTURE = "../shared/data/fixtures/cityscapes-panoptic-frame";

const USAGE = `${COMMAND} [--kitti DIR] [--out DIR] [--cache DIR] [--limit N] [--force]
  Writes <out>/<frame>_instanceIds.png for every KITTI frame that lacks one (--force: all), then measures
  coverage on all of them and PQ on the Cityscapes-format fixture frame, and writes <out>/quality.json and
  <out>/README.md. The detector (${DETECTOR_PACKAGE}@${DETECTOR_VERSION}, ~145 MB) is fetched into --cache once.
  --limit N: only the first N frames (for a quick check; the README then covers those N).`;

const args = parseTaskArgs("pseudo-labels", USAGE, {
  kitti: { type: "string", default: join(PROJECT_ROOT, "data", "kitti") },
  out: { type: "string", default: join(PROJECT_ROOT, "data", "kitti-instances") },
  cache: { type: "string", default: join(PROJECT_ROOT, "data", "cache") },
  limit: { type: "string" },
  force: { type: "boolean", default: false },
});
const { values } = args;
const limit = args.number("limit", "positive-count");

const log = (line: string) => console.error(`pseudo-labels: ${line}`);
const options = DEFAULT_PSEUDO_LABEL_OPTIONS;
const out = values.out;
const outputOf = (name: string) => join(out, `${name}_instanceIds.png`);

/** Seconds per frame of the run that generated the existing files, when nothing is generated now. */
function previousTiming(): number | null {
  const path = join(out, "quality.json");
  if (!existsSync(path)) return null;
  const previous = readPseudoLabelQuality(path);
  return JSON.stringify(previous.options) === JSON.stringify(options) ? previous.secondsPerFrame : null;
}

try {
  await initBackend();
  const model = await loadCenternet(await fetchCenternet(values.cache));
  const all = listKittiFrames(values.kitti);
  const frames = limit ? all.slice(0, limit) : all;

  const todo = frames.filter((name) => values.force || !existsSync(outputOf(name)));
  log(`${frames.length} frames, ${todo.length} to label`);
  const start = performance.now();
  for (const [i, name] of todo.entries()) {
    const { instanceIds, label } = await pseudoLabelKittiFrame(model, values.kitti, name, options);
    await writePng(outputOf(name), instanceIds);
    const elapsed = (performance.now() - start) / 1000;
    log(
      `${i + 1}/${todo.length} ${name}: ${label.detections.length} boxes, ${label.instanceTrainIds.length} ` +
        `instances (${(elapsed / (i + 1)).toFixed(1)} s/frame)`,
    );
  }
  const secondsPerFrame = todo.length ? (performance.now() - start) / 1000 / todo.length : previousTiming();

  const coverage = emptyCoverage();
  for (const name of frames) {
    const ids = await readGray16(outputOf(name));
    const size = await readImageSize(join(values.kitti, "image_2", `${name}.png`));
    if (ids.width !== size.width || ids.height !== size.height) {
      throw new Error(`${outputOf(name)} is ${ids.width}x${ids.height} but its frame is ${size.width}x${size.height}`);
    }
    addCoverage(coverage, ids.data);
  }

  const fixtureDir = join(PROJECT_ROOT, FIXTURE);
  const fixture = await evaluateOnPanopticFrame(
    model,
    join(fixtureDir, "gtFine", "cityscapes_panoptic_dummy_trainId.json"),
    join(fixtureDir, "leftImg8bit"),
    relative(PROJECT_ROOT, join(fixtureDir, "leftImg8bit", "dummy_000000_000000_leftImg8bit.png")),
    options,
  );
  model.dispose();

  const quality: PseudoLabelQuality = {
    command: limit ? `${COMMAND} --limit ${limit}` : COMMAND,
    detector: { package: DETECTOR_PACKAGE, version: DETECTOR_VERSION, model: "models/centernet.json" },
    options,
    frames: frames.length,
    secondsPerFrame,
    coverage: [...coverage.values()],
    fixture,
  };
  writeFileAtomic(join(out, "quality.json"), JSON.stringify(quality, null, 2) + "\n");
  writeFileAtomic(join(out, "README.md"), renderPseudoLabelReadme(quality));
  log(`fixture frame: PQ(things) ${fixture.things.pq.toFixed(3)}; wrote ${relative(PROJECT_ROOT, out)}/quality.json`);
} catch (e) {
  console.error(`pseudo-labels failed: ${e instanceof Error ? e.message : e}`);
  Deno.exit(1);
}
