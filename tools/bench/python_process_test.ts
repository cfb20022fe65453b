import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pythonModuleVersion, runPythonPeer } from "./python_process.ts";
import { ignoreWithoutPython, TEST_PYTHON as PYTHON } from "./testing/python_peer.ts";

const noPython = await ignoreWithoutPython("json");

Deno.test("pythonModuleVersion: a missing interpreter is a reason, not an exception", async () => {
  const none = await pythonModuleVersion("/nonexistent/python3", "json");
  assert.ok("missing" in none && none.missing.startsWith("/nonexistent/python3 cannot import json"));
});

Deno.test(
  "pythonModuleVersion: a module's version, or the reason it does not import",
  { ignore: noPython },
  async () => {
    const found = await pythonModuleVersion(PYTHON, "json");
    assert.ok("version" in found && /^\d+\.\d+/.test(found.version), JSON.stringify(found));
    const bad = await pythonModuleVersion(PYTHON, "no_such_module_xyz");
    assert.ok("missing" in bad && /No module named 'no_such_module_xyz'/.test(bad.missing), JSON.stringify(bad));
  },
);

Deno.test("runPythonPeer parses the last stdout line and names a failing script", { ignore: noPython }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "py-peer-"));
  try {
    const ok = join(dir, "ok.py"), fail = join(dir, "fail.py");
    writeFileSync(ok, "import sys, json\nprint('warming up')\nprint(json.dumps({'args': sys.argv[1:]}))\n");
    writeFileSync(fail, "raise SystemExit('bad frames file')\n");
    assert.deepEqual(await runPythonPeer(PYTHON, ok, ["--n", "3"]), { args: ["--n", "3"] });
    await assert.rejects(runPythonPeer(PYTHON, fail, []), /fail\.py failed \(exit 1\): bad frames file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
