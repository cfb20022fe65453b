import assert from "node:assert/strict";
import { LABEL_SETS } from "../data/labels/descriptor.ts";
import { TRAIN_ID_TO_ACDC30 } from "../data/labels/acdc_labels.ts";
import { carryWeights, type NamedWeight } from "./weight_transfer.ts";

const INPUTS = 3;

/** A stand-in model: one encoder weight and a semantic head of `classes` channels, filled by `value(index)`. */
function model(classes: number, value: (i: number) => number): NamedWeight[] {
  const weight = (name: string, shape: number[]) => {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1)).map((_, i) => value(i));
    return { name, shape, values };
  };
  return [
    weight("encoder/kernel", [2, 2]),
    weight("semantic_logits/kernel", [1, 1, INPUTS, classes]),
    weight("semantic_logits/bias", [classes]),
  ];
}

Deno.test("carryWeights: the same layout is carried whole, as copies", () => {
  const source = model(19, (i) => i + 1);
  const carried = carryWeights(source, model(19, () => 0));
  assert.deepEqual(carried.values, source.map((w) => w.values));
  assert.equal(carried.labels, null);
  carried.values[0][0] = -1;
  assert.equal(source[0].values[0], 1);
});

Deno.test("carryWeights: a Cityscapes-19 head carried into ACDC-30 keeps each trainId's channel, fresh for the rest", () => {
  const source = model(19, (i) => 1000 + i);
  const target = model(30, (i) => -i);
  const { values, labels } = carryWeights(source, target);
  assert.deepEqual(values[0], source[0].values);
  for (let r = 0; r < INPUTS; r++) {
    for (let c = 0; c < 30; c++) {
      const trainId = TRAIN_ID_TO_ACDC30.slice(0, 19).indexOf(c);
      const expected = trainId >= 0 ? 1000 + r * 19 + trainId : -(r * 30 + c);
      assert.equal(values[1][r * 30 + c], expected, `kernel input ${r}, class ${c}`);
    }
  }
  assert.equal(values[2][TRAIN_ID_TO_ACDC30[13]], 1013); // car
  assert.equal(values[2][29], -29); // none
  assert.equal(labels?.from, LABEL_SETS.cityscapes19);
  assert.equal(labels?.to, LABEL_SETS.acdc30);
  assert.equal(labels?.fresh.length, 11);
  assert.ok(labels?.fresh.includes("guard rail"));
});

Deno.test("carryWeights: ACDC-30 back to Cityscapes-19 takes each trainId's ACDC-30 channel", () => {
  const { values, labels } = carryWeights(model(30, (i) => i), model(19, () => -1));
  assert.deepEqual([...values[2]], [...Array(19).keys()].map((t) => TRAIN_ID_TO_ACDC30[t]));
  assert.deepEqual(labels?.fresh, []);
});

Deno.test("carryWeights: any other difference is refused, naming the weight", () => {
  const other = model(19, () => 0);
  other[0] = { ...other[0], shape: [4, 1] };
  assert.throws(() => carryWeights(model(19, () => 1), other), /its weight encoder\/kernel 2x2 is encoder\/kernel 4x1/);
  assert.throws(() => carryWeights(model(19, () => 1), other.slice(1)), /it has 3 weights where this model has 2/);
  const renamed = model(19, () => 0);
  renamed[2] = { ...renamed[2], name: "center_logits/bias" };
  assert.throws(() => carryWeights(model(19, () => 1), renamed), /semantic_logits\/bias 19 is center_logits\/bias 19/);
  assert.throws(() => carryWeights(model(19, () => 1), model(7, () => 0)), /a semantic head of 7 classes matches no/);
});
