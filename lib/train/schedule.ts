// Learning-rate schedule of deeplab2's solver: linear warm-up from 0 to the base rate over the first steps, then
// polynomial decay (Keras PolynomialDecay, cycle off) from the base rate to the end rate over all training steps.

export interface PolySchedule {
  baseLearningRate: number;
  /** Steps over which the rate decays to `endLearningRate` (deeplab2: training_number_of_steps). */
  totalSteps: number;
  /** Linear warm-up steps (0 = none). */
  warmupSteps?: number;
  /** deeplab2 default 0.9 */
  power?: number;
  /** deeplab2 default 0 */
  endLearningRate?: number;
}

/**
 * The learning rate for the update at `step` (0 for the first update, as the optimizer's iteration count).
 * During warm-up it is base·step/warmup; afterwards (base − end)·(1 − min(step, total)/total)^power + end, with the
 * decay counted from step 0, not from the end of warm-up (deeplab2 WarmUp wraps the unshifted poly schedule).
 */
export function learningRate(step: number, schedule: PolySchedule): number {
  const { baseLearningRate: base, totalSteps, warmupSteps = 0, power = 0.9, endLearningRate = 0 } = schedule;
  if (!Number.isInteger(step) || step < 0) throw new Error(`schedule.ts: step ${step} is not a whole number ≥ 0`);
  if (!(totalSteps > 0)) throw new Error(`schedule.ts: totalSteps ${totalSteps} must be positive`);
  if (step < warmupSteps) return base * step / warmupSteps;
  const progress = Math.min(step, totalSteps) / totalSteps;
  return (base - endLearningRate) * Math.pow(1 - progress, power) + endLearningRate;
}
