// Test-only: the config overrides that make a training run take seconds (64x128 crops, one image a step, one
// warm-up step, no pipeline workers, one validation frame at a quarter scale), shared by the end-to-end training tests.
export const TINY_TRAINING = {
  crop: [64, 128] as [number, number],
  batchSize: 1,
  microBatch: 1,
  warmupSteps: 1,
  validation: { everySteps: 0, frames: 1, scale: 0.25 },
  pipelineWorkers: 0,
};
