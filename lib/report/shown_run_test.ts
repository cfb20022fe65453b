import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../backend.ts";
import { PROJECT_ROOT } from "../setup/data_links.ts";
import { loadRunModel, shownRun } from "./shown_run.ts";

Deno.test("shownRun trains the smoke stand-in when runs/<name> has no model; a run with a model is used as is", async () => {
  await initBackend();
  const smoke = await shownRun(PROJECT_ROOT, "no-such-run");
  assert.equal(smoke.trained, false);
  assert.match(smoke.description, /smoke run/);
  const model = await loadRunModel(smoke.runDir);
  assert.equal(model.outputs.length, 3);
  model.dispose();

  const root = mkdtempSync(join(tmpdir(), "shown-root-"));
  mkdirSync(join(root, "runs"));
  cpSync(smoke.runDir, join(root, "runs", "copied"), { recursive: true });
  const real = await shownRun(root, "copied");
  assert.equal(real.trained, true);
  assert.equal(real.config.name, "smoke");
  await assert.rejects(loadRunModel(root), /no exported model/);
});
