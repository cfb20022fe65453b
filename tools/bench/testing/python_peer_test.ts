// The Python-peer tests on a machine without their peer: run in a subprocess with PANOPTIC_TEST_PYTHON pointing
// nowhere, they are reported ignored, with the reason, instead of passing without testing anything.
import assert from "node:assert/strict";
import { PROJECT_ROOT } from "../../../lib/io/project.ts";

Deno.test("the Python-peer tests are ignored, with the reason printed, when their interpreter is missing", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--no-check", "tools/bench/python_process_test.ts", "tools/bench/pq_peer_test.ts"],
    cwd: PROJECT_ROOT,
    env: { PANOPTIC_TEST_PYTHON: "/nonexistent/python3", NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, text);
  for (const name of ["runPythonPeer parses the last stdout line", "the numpy peer (panopticapi's core loop)"]) {
    assert.match(text, new RegExp(`^${RegExp.escape(name)}.* \\.\\.\\. ignored`, "m"), text);
  }
  assert.match(text, /ignoring the tests that need Python's numpy: \/nonexistent\/python3 cannot import numpy/, text);
  assert.match(text, /^ok \| \d+ passed \| 0 failed \| 3 ignored/m, text);
});
