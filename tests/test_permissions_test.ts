// The test permissions in deno.json: `deno test -P` grants what the library's tests use (files, environment,
// subprocesses, native addons, a local server) without -A; plain `deno test` says to add -P.
import assert from "node:assert/strict";
import { PROJECT_ROOT } from "../lib/io/project.ts";

/** Test modules that together use every permission the library's tests need. */
const MODULES = [
  "tools/setup/data_links_test.ts", // read, write
  "tools/setup/system_test.ts", // run, env
  "lib/model/checkpoint_test.ts", // net (127.0.0.1)
  "lib/io/image_io_test.ts", // ffi (sharp)
];

async function denoTest(flags: string[]): Promise<{ code: number; text: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["test", ...flags, "--no-check", ...MODULES],
    cwd: PROJECT_ROOT,
    env: { NO_COLOR: "1" },
  }).output();
  return { code: out.code, text: new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr) };
}

Deno.test("deno test -P runs the library's tests with deno.json's test permissions", async () => {
  const { code, text } = await denoTest(["-P"]);
  assert.equal(code, 0, text);
  assert.match(text, /^ok \| \d+ passed \| 0 failed/m, text);
});

Deno.test("deno test without -P names the flag instead of failing test by test on permissions", async () => {
  const { code, text } = await denoTest([]);
  assert.notEqual(code, 0, text);
  assert.match(text, /Test permissions were found in the config file\. Did you mean to run with `-P`/, text);
});
