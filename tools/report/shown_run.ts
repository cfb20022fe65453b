// The training run a notebook shows: the default run (DEFAULT_RUN_NAME) once its model is exported, otherwise a smoke run
// (configs/smoke.json, a few steps on tiny crops, ~10 s) trained on the spot into a temporary folder (load it with
// lib/model/load.ts).
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { DEFAULT_RUN_NAME, loadConfig, type TrainConfig } from "../../lib/train/config.ts";
import { EXPORT_DIR, train } from "../../lib/train/trainer.ts";

export interface ShownRun {
  runDir: string;
  /** True for the real run; false for the smoke run trained as a stand-in. */
  trained: boolean;
  /** One sentence saying which run is shown, for the notebook's output. */
  description: string;
  config: TrainConfig;
}

/** `config` with its data paths (relative to the project) resolved against `root`. */
function resolveData(config: TrainConfig, root: string): TrainConfig {
  const at = (p: string) => (isAbsolute(p) ? p : join(root, p));
  return {
    ...config,
    data: {
      ...config.data,
      root: at(config.data.root),
      instanceDir: config.data.instanceDir && at(config.data.instanceDir),
    },
  };
}

/** runs/<name> under `root` when its exported model exists, else a fresh smoke run (trained now). */
export async function shownRun(root: string, name = DEFAULT_RUN_NAME): Promise<ShownRun> {
  const runDir = join(root, "runs", name);
  if (existsSync(join(runDir, EXPORT_DIR, "model.json"))) {
    const config = resolveData(loadConfig(join(runDir, "config.json")), root);
    return { runDir, trained: true, description: `run \`runs/${name}\` (${config.description})`, config };
  }
  const config = resolveData(loadConfig(join(root, "configs", "smoke.json")), root);
  const runsDir = mkdtempSync(join(tmpdir(), "shown-run-"));
  await train(config, { runsDir, resume: false, maxMinutes: null, workers: 1, report: () => {} });
  return {
    runDir: join(runsDir, config.name),
    trained: false,
    description: `runs/${name} has no exported model yet, so this shows a **smoke run** trained just now ` +
      `(configs/smoke.json: ${config.steps} steps of batch ${config.batchSize} on ${config.crop.join("x")} crops) — ` +
      `its predictions are close to random`,
    config,
  };
}
