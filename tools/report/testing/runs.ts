// A training run written the way `deno task train` and `deno task eval` leave it, for the report's tests: the config
// (in configs/ and in the run folder), a two-step record and, unless `miou` is null, a full evaluation record.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { COMPARISON_EVAL } from "../comparison.ts";

export function writeRun(root: string, name: string, config: Record<string, unknown>, miou: number | null) {
  const dir = join(root, "runs", name);
  mkdirSync(dir, { recursive: true });
  mkdirSync(join(root, "configs"), { recursive: true });
  const full = { name, description: name, steps: 2, warmupSteps: 0, ...config };
  writeFileSync(join(root, "configs", `${name}.json`), JSON.stringify(full));
  writeFileSync(join(dir, "config.json"), JSON.stringify(full));
  const steps = [1, 2].map((step) => ({ type: "step", step, elapsedSeconds: 3 * step }));
  writeFileSync(join(dir, "train.jsonl"), steps.map((l) => JSON.stringify(l)).join("\n") + "\n");
  if (miou === null) return;
  writeFileSync(
    join(dir, COMPARISON_EVAL),
    JSON.stringify({
      frames: 60,
      semantic: { miou },
      ikaProtocol: { miou: miou - 0.07, classes: 28 },
      panoptic: { all: { pq: 0.141 }, things: { pq: 0.014 } },
      instance: { ap: 0.007 },
    }),
  );
}
