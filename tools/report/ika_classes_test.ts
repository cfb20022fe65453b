import assert from "node:assert/strict";
import type { EvalRecord } from "../../lib/eval/record.ts";
import { ikaClassHeaders, ikaClassRows } from "./ika_classes.ts";

const record = (perClass: { id: number; name: string; iou: number | null }[]) =>
  ({ ikaProtocol: { miou: 0, classes: perClass.length, perClass } }) as unknown as EvalRecord;

Deno.test("ikaClassRows: each class some record scores, marked by whether Cityscapes has it, IoU per record", () => {
  const nineteen = record([{ id: 0, name: "road", iou: 0.8 }, { id: 2, name: "parking", iou: 0 }, {
    id: 19,
    name: "tunnel",
    iou: null,
  }]);
  const thirty = record([{ id: 0, name: "road", iou: 0.85 }, { id: 2, name: "parking", iou: 0.25 }, {
    id: 29,
    name: "none",
    iou: 0.5,
  }]);
  const rows = ikaClassRows([nineteen, thirty, null]);
  assert.deepEqual(rows, [
    ["road", "yes", "80.0", "85.0", "–"],
    ["parking", "no", "0.0", "25.0", "–"],
    ["none", "no", "–", "50.0", "–"],
  ]);
  assert.equal(ikaClassHeaders(["a", "b", "c"]).length, rows[0].length);
  assert.deepEqual(ikaClassRows([null]), []);
});
