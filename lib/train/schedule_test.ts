import assert from "node:assert/strict";
import { learningRate } from "./schedule.ts";

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${a} ≠ ${b}`);

Deno.test("poly decay with power 0.9 reaches the end rate at the last step and stays there", () => {
  const s = { baseLearningRate: 1e-3, totalSteps: 1000 };
  assert.equal(learningRate(0, s), 1e-3);
  close(learningRate(500, s), 1e-3 * Math.pow(0.5, 0.9)); // 0.000535886…
  close(learningRate(900, s), 1e-3 * Math.pow(0.1, 0.9));
  assert.equal(learningRate(1000, s), 0);
  assert.equal(learningRate(5000, s), 0);
  close(learningRate(1000, { ...s, endLearningRate: 1e-5 }), 1e-5);
  close(learningRate(500, { ...s, endLearningRate: 1e-5 }), (1e-3 - 1e-5) * Math.pow(0.5, 0.9) + 1e-5);
  close(learningRate(250, { ...s, power: 1 }), 0.75e-3);
});

Deno.test("linear warm-up starts at 0, then joins the poly curve counted from step 0", () => {
  const s = { baseLearningRate: 1e-3, totalSteps: 1000, warmupSteps: 100 };
  assert.equal(learningRate(0, s), 0);
  close(learningRate(25, s), 0.25e-3);
  close(learningRate(99, s), 0.99e-3);
  close(learningRate(100, s), 1e-3 * Math.pow(0.9, 0.9)); // not the base rate: decay already ran 100 steps
  close(learningRate(550, s), 1e-3 * Math.pow(0.45, 0.9));
});

Deno.test("bad steps and totals are errors that name the module", () => {
  assert.throws(() => learningRate(-1, { baseLearningRate: 1, totalSteps: 10 }), /schedule.ts: step -1/);
  assert.throws(() => learningRate(1.5, { baseLearningRate: 1, totalSteps: 10 }), /schedule.ts: step 1.5/);
  assert.throws(() => learningRate(1, { baseLearningRate: 1, totalSteps: 0 }), /schedule.ts: totalSteps 0/);
});
