import assert from "node:assert/strict";
import {
  accumulatePanoptic,
  createPanopticStats,
  frameFromCoco,
  frameFromLabelMap,
  type PanopticCategory,
  type PanopticFrame,
  panopticResult,
  type PanopticSegment,
  type PanopticStats,
} from "./panoptic.ts";
import { readPanopticJson, rgb2id } from "../data/datasets/coco_panoptic.ts";
import { readRgb } from "../io/image_io.ts";
import { rgbKey } from "../data/labels/label_maps.ts";
import { bddFrame, pilLuma, readRgba } from "./testing/fixture_png.ts";
import { sharedData } from "../testing/shared_data.ts";

const fixture = (p: string) => sharedData("fixtures", p);

function assertRel(actual: number, expected: number, tol: number, what: string) {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  assert.ok(err <= tol, `${what}: got ${actual}, expected ${expected} (relative error ${err})`);
}

function frame(ids: number[], segments: PanopticSegment[]): PanopticFrame {
  return { ids: Int32Array.from(ids), segments };
}

/** Categories 1 (stuff) and 2 (thing), plus 3 (stuff). */
const CATS: PanopticCategory[] = [{ id: 1, isThing: false }, { id: 2, isThing: true }, { id: 3, isThing: false }];

function evaluate(pairs: [PanopticFrame, PanopticFrame][]): ReturnType<typeof panopticResult> {
  const stats = createPanopticStats(CATS);
  pairs.forEach(([gt, pred], i) => accumulatePanoptic(stats, gt, pred, `img${i}`));
  return panopticResult(stats);
}

// ---- deeplab2 test vectors -------------------------------------------------------------------------------------

const CLASS_COLOURS = new Map<number, number>([
  [0x000000, 0],
  [0x0000ff, 1],
  [0xff0000, 2],
  [0x00ff00, 3],
  [0xff00ff, 4],
  [0x00ffff, 5],
  [0xffff00, 6],
]);

async function deeplab2Pair(
  name: string,
  gtFile: string,
  gtClassOf: Record<number, number>,
  divisor: number,
): Promise<[PanopticFrame, PanopticFrame]> {
  const gtInstance = pilLuma(await readRgb(fixture(`pq-vectors-deeplab2/${gtFile}`)));
  const predClassRgb = await readRgb(fixture(`pq-vectors-deeplab2/${name}_pred_class.png`));
  const predInstance = pilLuma(await readRgb(fixture(`pq-vectors-deeplab2/${name}_pred_instance.png`)));
  const gtMap = new Int32Array(gtInstance.length);
  const predMap = new Int32Array(gtInstance.length);
  for (let i = 0; i < gtInstance.length; i++) {
    const gtClass = gtClassOf[gtInstance[i]];
    assert.notEqual(gtClass, undefined, `${gtFile}: grey value ${gtInstance[i]} missing from its class map`);
    gtMap[i] = gtClass * divisor + gtInstance[i];
    const d = predClassRgb.data;
    const predClass = CLASS_COLOURS.get(rgbKey(d[3 * i], d[3 * i + 1], d[3 * i + 2]));
    assert.notEqual(predClass, undefined, `${name}_pred_class.png: colour outside the class map`);
    predMap[i] = predClass! * divisor + predInstance[i];
  }
  const options = { divisor, voidClass: 0 };
  return [frameFromLabelMap(gtMap, options), frameFromLabelMap(predMap, options)];
}

const TEAM_CLASSES = { 0: 0, 47: 1, 97: 1, 133: 1, 150: 1, 174: 1, 198: 2, 215: 1, 244: 1, 255: 1 };

function deeplab2Stats(numClasses: number): PanopticStats {
  return createPanopticStats(Array.from({ length: numClasses }, (_, id) => ({ id, isThing: true })));
}

Deno.test("panoptic: deeplab2 vectors, team only (divisor 1000, 3 classes)", async () => {
  const stats = deeplab2Stats(3);
  const [gt, pred] = await deeplab2Pair("team", "team_gt_instance.png", TEAM_CLASSES, 1000);
  accumulatePanoptic(stats, gt, pred, "team");
  const { all } = panopticResult(stats);
  assertRel(all.pq, 0.62156284, 1e-6, "PQ");
  assertRel(all.sq, 0.64664984, 1e-6, "SQ");
  assertRel(all.rq, 0.9666667, 1e-6, "RQ");
  assert.equal(all.tp, 4);
  assert.equal(all.fn, 0.5);
  assert.equal(all.fp, 0);
});

Deno.test("panoptic: deeplab2 vectors, bird + cat + team accumulated (divisor 256, 7 classes)", async () => {
  const stats = deeplab2Stats(7);
  const pairs = [
    await deeplab2Pair("bird", "bird_gt.png", { 92: 5, 176: 3, 255: 4 }, 256),
    await deeplab2Pair("cat", "cat_gt.png", { 0: 0, 255: 6 }, 256),
    await deeplab2Pair("team", "team_gt_instance.png", TEAM_CLASSES, 256),
  ];
  for (const [gt, pred] of pairs) accumulatePanoptic(stats, gt, pred);
  const { all } = panopticResult(stats);
  assertRel(all.pq, 0.76855499, 1e-6, "PQ");
  assertRel(all.sq, 0.7769174, 1e-6, "SQ");
  assertRel(all.rq, 0.98888892, 1e-6, "RQ");
  assert.equal(all.tp, 2);
  assertRel(all.fn, 1 / 6, 1e-12, "FN");
  assert.equal(all.fp, 0);
});

// ---- BDD100K bitmask vectors -----------------------------------------------------------------------------------

/** BDD100K's 40 panoptic categories: 1–30 stuff, 31–40 things. */
const BDD_CATS: PanopticCategory[] = Array.from({ length: 40 }, (_, i) => ({ id: i + 1, isThing: i + 1 > 30 }));

async function bddPair(name: string): Promise<[PanopticFrame, PanopticFrame]> {
  const gtFile = fixture(`pq-vectors-bdd100k/gt/${name}.png`);
  const predFile = fixture(`pq-vectors-bdd100k/pred/${name}.png`);
  return [bddFrame(await readRgba(gtFile), "gt", gtFile), bddFrame(await readRgba(predFile), "pred", predFile)];
}

function bddStats(): PanopticStats {
  // Category 0 (unlabeled) is tracked so that GT pixels of instance 0 have a home; it is never averaged.
  return createPanopticStats([{ id: 0, isThing: false }, ...BDD_CATS]);
}

Deno.test("panoptic: BDD100K a.png per-category counts and summed IoU", async () => {
  const expected: [number, number, number, number, number][] = [
    [1, 1, 0, 0, 0.7708830548926014],
    [4, 1, 0, 0, 0.6422764227642277],
    [7, 1, 0, 0, 0.9655321433716164],
    [10, 1, 0, 0, 0.9411398791833123],
    [13, 1, 0, 0, 0.5244956772334294],
    [16, 1, 0, 0, 0.5889328063241107],
    [17, 1, 0, 0, 0.6939252336448598],
    [20, 0, 1, 1, 0],
    [22, 0, 1, 1, 0],
    [26, 1, 0, 0, 0.5384615384615384],
    [27, 1, 0, 0, 0.5962732919254659],
    [28, 1, 0, 0, 0.9368572838007058],
    [29, 1, 0, 0, 0.9642794268243999],
    [30, 1, 0, 0, 0.9662389555811991],
    [34, 1, 0, 0, 0.8457497612225406],
    [35, 4, 0, 0, 3.18008304800378],
  ];
  const stats = bddStats();
  const [gt, pred] = await bddPair("a");
  accumulatePanoptic(stats, gt, pred, "a.png");
  const listed = new Set(expected.map((e) => e[0]));
  for (const [cat, tp, fp, fn, iouSum] of expected) {
    const c = stats.counts.get(cat)!;
    assert.deepEqual([c.tp, c.fp, c.fn], [tp, fp, fn], `category ${cat} tp/fp/fn`);
    assert.ok(Math.abs(c.iouSum - iouSum) <= 1e-9, `category ${cat} summed IoU ${c.iouSum} vs ${iouSum}`);
  }
  for (const [cat, c] of stats.counts) {
    if (!listed.has(cat)) assert.equal(c.tp + c.fp + c.fn, 0, `category ${cat} should have no segments`);
  }
});

Deno.test("panoptic: BDD100K a+b overall PQ/SQ/RQ (All, Stuff, Things)", async () => {
  const stats = bddStats();
  for (const name of ["a", "b"]) {
    const [gt, pred] = await bddPair(name);
    accumulatePanoptic(stats, gt, pred, `${name}.png`);
  }
  const isThing = (c: PanopticCategory) => c.isThing;
  const scored = { ...stats, categories: BDD_CATS };
  const { all, stuff, things } = panopticResult(scored);
  const published = [
    [all.pq, 66.46278879162743, "PQ"],
    [stuff.pq, 64.38602380902118, "PQ/STUFF"],
    [things.pq, 82.03852616117427, "PQ/THING"],
    [all.sq, 68.35183709387516, "SQ"],
    [stuff.sq, 66.52694521823528, "SQ/STUFF"],
    [things.sq, 82.03852616117427, "SQ/THING"],
    [all.rq, 85.29411764705883, "RQ"],
    [stuff.rq, 83.33333333333333, "RQ/STUFF"],
    [things.rq, 100.0, "RQ/THING"],
  ] as const;
  for (const [ours, theirs, name] of published) assertRel(ours * 100, theirs, 1e-13, name);
  assert.deepEqual([all.n, stuff.n, things.n], [17, 15, 2]);
  assert.equal(BDD_CATS.filter(isThing).length, 10);
});

Deno.test("panoptic: BDD100K a.png against an empty prediction is all false negatives", async () => {
  const stats = bddStats();
  const [gt, pred] = await bddPair("a");
  accumulatePanoptic(stats, gt, { ids: new Int32Array(pred.ids.length), segments: [] }, "a.png");
  const gtCats = new Set(gt.segments.map((s) => s.categoryId));
  for (const [cat, c] of stats.counts) {
    const fn = cat === 35 ? 4 : gtCats.has(cat) ? 1 : 0;
    assert.deepEqual([c.tp, c.fp, c.fn, c.iouSum], [0, 0, fn, 0], `category ${cat}`);
  }
});

// ---- hand-built cases ----------------------------------------------------------------------------------------

Deno.test("panoptic: void is removed from the union; IoU exactly 0.5 is no match", () => {
  // GT segment 1 (cat 1, 2 px); pred 5 (cat 1) covers it plus 3 void px: union = 5 + 2 - 2 - 3 = 2 → IoU 1
  // (2/5 without the void rule). GT 2 (cat 1, 2 px) vs pred 6 (1 px inside it): IoU 1/2 → FN + FP.
  // GT 3 (cat 2) vs pred 7: IoU 1.
  const gt = frame([1, 1, 0, 0, 0, 2, 2, 3], [{ id: 1, categoryId: 1 }, { id: 2, categoryId: 1 }, {
    id: 3,
    categoryId: 2,
  }]);
  const pred = frame([5, 5, 5, 5, 5, 6, 0, 7], [{ id: 5, categoryId: 1 }, { id: 6, categoryId: 1 }, {
    id: 7,
    categoryId: 2,
  }]);
  const r = evaluate([[gt, pred]]);
  assert.deepEqual(r.perCategory.get(1), { tp: 1, fp: 1, fn: 1, iouSum: 1, pq: 0.5, sq: 1, rq: 0.5 });
  assert.deepEqual(r.perCategory.get(2), { tp: 1, fp: 0, fn: 0, iouSum: 1, pq: 1, sq: 1, rq: 1 });
  assert.deepEqual(r.perCategory.get(3), { tp: 0, fp: 0, fn: 0, iouSum: 0, pq: 0, sq: 0, rq: 0 });
  // category 3 has no segments: averaged over 2 categories.
  assert.deepEqual(r.all, { pq: 0.75, sq: 1, rq: 0.75, tp: 1, fp: 0.5, fn: 0.5, n: 2 });
  assert.equal(r.things.pq, 1);
  assert.equal(r.stuff.pq, 0.5);
});

Deno.test("panoptic: a false positive is ignored only when more than half of it is void", () => {
  // pred 5 (cat 1): 2 px void + 2 px on GT 1 (cat 3, no match) → 2/4 = 0.5 → FP. pred 6: 3 void of 5 → ignored.
  const gt = frame([0, 0, 1, 1, 0, 0, 0, 1, 1], [{ id: 1, categoryId: 3 }]);
  const pred = frame([5, 5, 5, 5, 6, 6, 6, 6, 6], [{ id: 5, categoryId: 1 }, { id: 6, categoryId: 1 }]);
  const r = evaluate([[gt, pred]]);
  assert.equal(r.perCategory.get(1)!.fp, 1);
  assert.equal(r.perCategory.get(3)!.fn, 1);
});

Deno.test("panoptic: GT areas from the segment list are trusted (panopticapi reads them from JSON)", () => {
  const pred = frame([5, 5, 5, 5], [{ id: 5, categoryId: 1 }]);
  const counted = evaluate([[frame([1, 1, 1, 1], [{ id: 1, categoryId: 1 }]), pred]]);
  assert.equal(counted.perCategory.get(1)!.tp, 1);
  // area 8: IoU = 4 / (4 + 8 - 4) = 0.5 → no match.
  const given = evaluate([[frame([1, 1, 1, 1], [{ id: 1, categoryId: 1, area: 8 }]), pred]]);
  assert.deepEqual([given.perCategory.get(1)!.tp, given.perCategory.get(1)!.fn], [0, 1]);
});

Deno.test("panoptic: empty prediction gives PQ 0 with every GT segment a false negative", () => {
  const gt = frame([1, 1, 2, 2, 0, 0], [{ id: 1, categoryId: 1 }, { id: 2, categoryId: 2 }]);
  const r = evaluate([[gt, frame([0, 0, 0, 0, 0, 0], [])]]);
  assert.deepEqual(r.all, { pq: 0, sq: 0, rq: 0, tp: 0, fp: 0, fn: 1, n: 2 });
});

Deno.test("panoptic: a predicted class absent from the GT counts as 0 in the average", () => {
  const gt = frame([1, 1, 1, 1], [{ id: 1, categoryId: 1 }]);
  const pred = frame([5, 5, 5, 6], [{ id: 5, categoryId: 1 }, { id: 6, categoryId: 3 }]);
  const r = evaluate([[gt, pred]]);
  // cat 1: IoU 3/4; cat 3: one FP.
  assert.deepEqual(r.perCategory.get(3), { tp: 0, fp: 1, fn: 0, iouSum: 0, pq: 0, sq: 0, rq: 0 });
  assert.equal(r.all.n, 2);
  assert.equal(r.all.pq, (0.75 + 0) / 2);
  assert.equal(r.all.sq, (0.75 + 0) / 2);
  assert.equal(r.all.rq, (1 + 0) / 2);
});

Deno.test("panoptic: an all-void GT image leaves nothing to average (NaN, n = 0)", () => {
  const r = evaluate([[
    frame([0, 0, 0, 0], []),
    frame([5, 5, 6, 6], [{ id: 5, categoryId: 1 }, {
      id: 6,
      categoryId: 2,
    }]),
  ]]);
  for (const s of [r.all, r.things, r.stuff]) {
    assert.equal(s.n, 0);
    assert.ok(Number.isNaN(s.pq) && Number.isNaN(s.sq) && Number.isNaN(s.rq));
  }
});

Deno.test("panoptic: crowd regions match nothing and excuse same-category false positives", () => {
  // GT 10: cat 1 stuff; GT 11: cat 2 crowd (the only cat-2 segment). Pred 21 (cat 2) equals the crowd region.
  const gt = frame([10, 10, 10, 10, 11, 11, 11, 11], [{ id: 10, categoryId: 1 }, {
    id: 11,
    categoryId: 2,
    isCrowd: true,
  }]);
  const pred = frame([20, 20, 20, 20, 21, 21, 21, 21], [{ id: 20, categoryId: 1 }, { id: 21, categoryId: 2 }]);
  const r = evaluate([[gt, pred]]);
  assert.deepEqual(r.perCategory.get(2), { tp: 0, fp: 0, fn: 0, iouSum: 0, pq: 0, sq: 0, rq: 0 });
  assert.equal(r.all.n, 1);
  assert.equal(r.all.pq, 1);
  assert.equal(r.things.n, 0);
  assert.ok(Number.isNaN(r.things.pq));

  // A crowd of another category excuses nothing: pred 21 as cat 3 on the cat-2 crowd is a false positive.
  const other = evaluate([[gt, frame(Array.from(pred.ids), [{ id: 20, categoryId: 1 }, { id: 21, categoryId: 3 }])]]);
  assert.equal(other.perCategory.get(3)!.fp, 1);
});

Deno.test("panoptic: only the last crowd segment of a category is used for the false-positive rule", () => {
  const gt = frame([11, 11, 12, 12, 13, 13, 13, 13], [
    { id: 11, categoryId: 2, isCrowd: true },
    { id: 12, categoryId: 2, isCrowd: true },
    { id: 13, categoryId: 1 },
  ]);
  const pred = frame([21, 21, 22, 22, 23, 23, 23, 23], [
    { id: 21, categoryId: 2 },
    { id: 22, categoryId: 2 },
    { id: 23, categoryId: 1 },
  ]);
  const r = evaluate([[gt, pred]]);
  assert.deepEqual(r.perCategory.get(2)!.fp, 1); // pred 21 lies on crowd 11, which panopticapi forgets
});

Deno.test("panoptic: bad inputs throw errors naming the image and the problem", () => {
  const stats = createPanopticStats(CATS);
  const gt = frame([1, 1, 0, 0], [{ id: 1, categoryId: 1 }]);
  assert.throws(
    () => accumulatePanoptic(stats, gt, frame([5, 5, 9, 9], [{ id: 5, categoryId: 1 }]), "x.png"),
    /x\.png: prediction segment id 9 is in the map but not in the segment list/,
  );
  assert.throws(
    () => accumulatePanoptic(stats, gt, frame([5, 5, 0, 0], [{ id: 5, categoryId: 1 }, { id: 6, categoryId: 1 }])),
    /prediction segment 6 is listed but has no pixels/,
  );
  assert.throws(
    () => accumulatePanoptic(stats, gt, frame([5, 5, 0, 0], [{ id: 5, categoryId: 77 }]), "y.png"),
    /y\.png: prediction segment 5 has unknown category_id 77/,
  );
  assert.throws(
    () => accumulatePanoptic(stats, gt, frame([5, 5, 0], [{ id: 5, categoryId: 1 }]), "z.png"),
    /z\.png: prediction has 3 pixels but the ground truth has 4/,
  );
  assert.throws(() => createPanopticStats([{ id: 1, isThing: false }, { id: 1, isThing: true }]), /listed twice/);
});

Deno.test("panoptic: label maps keep road (class 0, instance 0) apart from void and mark GT crowds", () => {
  // trainId maps: road 0 → value 0; car (13) crowd 13000, car instance 13001; void 255000.
  const f = frameFromLabelMap([0, 0, 13000, 13001, 255000], {
    divisor: 1000,
    voidClass: 255,
    crowdClasses: new Set([13]),
  });
  assert.deepEqual(Array.from(f.ids), [1, 1, 13001, 13002, 0]);
  assert.deepEqual(f.segments, [
    { id: 1, categoryId: 0, isCrowd: false },
    { id: 13001, categoryId: 13, isCrowd: true },
    { id: 13002, categoryId: 13, isCrowd: false },
  ]);
});

Deno.test("panoptic: real Cityscapes-format frame with JSON areas, one car missed, crowd excusing its prediction", async () => {
  const dir = "cityscapes-panoptic-frame/gtFine";
  const json = readPanopticJson(fixture(`${dir}/cityscapes_panoptic_dummy_trainId.json`));
  const ann = json.annotations[0];
  const ids = rgb2id((await readRgb(fixture(`${dir}/${ann.file_name}`), { require8Bit: true })).data);
  const gt = frameFromCoco(ids, ann.segments_info);
  assert.equal(gt.segments.find((s) => s.id === 26003)!.area, 32768);
  // Prediction: the GT map with car 26000 dropped to void; the crowd region 26 predicted as a car segment.
  const predIds = ids.map((v) => (v === 26000 ? 0 : v));
  const pred = frameFromCoco(predIds, ann.segments_info.filter((s) => s.id !== 26000));
  const stats = createPanopticStats(
    Array.from({ length: 19 }, (_, id) => ({ id, isThing: id >= 11 })),
  );
  accumulatePanoptic(stats, gt, { ids: pred.ids, segments: pred.segments.map((s) => ({ ...s, area: undefined })) });
  const r = panopticResult(stats);
  // car: 4 TP (IoU 1), 1 FN, no FP (segment 26 lies on the crowd) → PQ = RQ = 4 / 4.5.
  assert.deepEqual(r.perCategory.get(13), { tp: 4, fp: 0, fn: 1, iouSum: 4, pq: 4 / 4.5, sq: 1, rq: 4 / 4.5 });
  // road, building, vegetation, sky: one exact match each.
  for (const c of [0, 2, 8, 10]) assert.equal(r.perCategory.get(c)!.pq, 1, `category ${c}`);
  assert.equal(r.all.n, 5);
  assert.ok(Math.abs(r.all.pq - (4 + 4 / 4.5) / 5) < 1e-15);
  assert.equal(r.stuff.pq, 1);
  assert.equal(r.things.pq, 4 / 4.5);
});
