import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../../lib/runtime/backend.ts";
import { PROJECT_ROOT } from "../../lib/io/project.ts";
import { loadPanopticModel } from "../../lib/model/load.ts";
import { shownRun } from "./shown_run.ts";

Deno.test("shownRun trains the smoke stand-in when runs/<name> has no model; a run with a model is used as is", async () => {
  await initBackend();
  const smoke = await shownRun(PROJECT_ROOT, "no-such-run");
  assert.equal(smoke.trained, false);
  assert.match(smoke.description, /smoke run/);
  const { model, step } = await loadPanopticModel(smoke.runDir);
  assert.equal(step, smoke.config.steps, "the smoke run's model is exported after its last step");
  model.dispose();

  const root = mkdtempSync(join(tmpdir(), "shown-root-"));
  mkdirSync(join(root, "runs"));
  cpSync(smoke.runDir, join(root, "runs", "copied"), { recursive: true });
  const real = await shownRun(root, "copied");
  assert.equal(real.trained, true);
  assert.equal(real.config.name, "smoke");
  assert.match(real.description, /runs\/copied/);
});
