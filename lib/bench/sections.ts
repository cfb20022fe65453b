// The benchmark sections `deno task bench` knows, in the order it runs them. Add a section here to add it to the
// task (flags of all sections share one namespace: reuse a name only with the same meaning).
import type { BenchSection } from "./section.ts";
import { trainStepSection } from "./train_step.ts";

export const BENCH_SECTIONS: readonly BenchSection[] = [trainStepSection];
