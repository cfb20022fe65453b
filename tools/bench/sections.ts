// The benchmark sections `deno task bench` knows, in the order it runs them. Add a section here to add it to the
// task (flags of all sections share one namespace: reuse a name only with the same meaning).
import { dataPipelineSection } from "./data_pipeline_section.ts";
import { postprocessMetricsSection } from "./postprocess_metrics_section.ts";
import { predictSection } from "./predict_section.ts";
import type { BenchSection } from "./section.ts";
import { trainStepSection } from "./train_step.ts";

/** train-step runs before data-pipeline, which compares its rate with the newest train-step record. */
export const BENCH_SECTIONS: readonly BenchSection[] = [
  trainStepSection,
  dataPipelineSection,
  postprocessMetricsSection,
  predictSection,
];
