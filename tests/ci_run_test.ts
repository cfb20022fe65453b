// CI walks the user's path: .ci/run runs the README's test command as typed and installs nothing itself, so what
// the command needs on a bare machine is installed by the command (deno task setup), not by CI.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../lib/setup/data_links.ts";

/** The commands of the README's first `sh` block, without their comments. */
function readmeCommands(): string[] {
  const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
  const block = readme.match(/```sh\n([\s\S]*?)```/);
  assert.ok(block, "README.md has no ```sh block");
  return block[1].split("\n").map((line) => line.replace(/#.*/, "").trim()).filter((line) => line !== "");
}

Deno.test(".ci/run runs the README's test command and installs nothing itself", () => {
  const testCommand = readmeCommands().find((c) => c.endsWith(" task test"));
  assert.ok(testCommand, "README.md's first sh block has no `... task test` command");
  const ciLines = readFileSync(join(PROJECT_ROOT, ".ci", "run"), "utf8").split("\n")
    .filter((line) => !line.trimStart().startsWith("#"));
  assert.ok(ciLines.some((line) => line.startsWith(`${testCommand} `)), `.ci/run does not run: ${testCommand}`);
  const installs = ciLines.filter((line) => /\b(apt-get|apt|dpkg|pip3?|npm)\b.*\binstall\b/.test(line));
  assert.deepEqual(installs, [], ".ci/run installs what the README's command should install itself");
});
