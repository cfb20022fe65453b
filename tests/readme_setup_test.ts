// The README's way in, held to what the project does: its first section gives exactly the two commands, CI runs the
// test command as typed and installs nothing itself (so CI walks a new user's path), and its notebook section says how
// to open the notebooks interactively with the Jupyter and kernel that setup installs.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../lib/io/project.ts";

const README = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");

/** The text of the README section under `heading`, up to the next section of the same level. */
function section(heading: string): string {
  const start = README.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `README.md has no section "${heading}"`);
  const end = README.indexOf("\n## ", start + heading.length + 2);
  return README.slice(start, end < 0 ? undefined : end);
}

/** The commands of the first `sh` block in `text`, without their comments. */
function shCommands(text: string): string[] {
  const block = text.match(/```sh\n([\s\S]*?)```/);
  assert.ok(block, "no ```sh block");
  return block[1].split("\n").map((line) => line.replace(/#.*/, "").trim()).filter((line) => line !== "");
}

Deno.test("the README's first section gives exactly the two commands", () => {
  assert.deepEqual(shCommands(README), ["npx -y deno@2.9.6 task report", "npx -y deno@2.9.6 task test"]);
});

Deno.test(".ci/run runs the README's test command and installs nothing itself", () => {
  const testCommand = shCommands(README).find((c) => c.endsWith(" task test"));
  assert.ok(testCommand, "README.md's first sh block has no `... task test` command");
  const ciLines = readFileSync(join(PROJECT_ROOT, ".ci", "run"), "utf8").split("\n")
    .filter((line) => !line.trimStart().startsWith("#"));
  assert.ok(ciLines.some((line) => line.startsWith(`${testCommand} `)), `.ci/run does not run: ${testCommand}`);
  const installs = ciLines.filter((line) => /\b(apt-get|apt|dpkg|pip3?|npm)\b.*\binstall\b/.test(line));
  assert.deepEqual(installs, [], ".ci/run installs what the README's command should install itself");
});

Deno.test("the README says how to open the notebooks in Jupyter Notebook, with the kernel they name, or JupyterLab", () => {
  const text = section("## Opening the notebooks");
  assert.deepEqual(shCommands(text), ["jupyter notebook"]);
  assert.match(text, /--allow-root/);
  assert.match(text, /pip install jupyterlab`, then `jupyter lab`/);
  const notebooks = ["report.ipynb", ...readdirSync(join(PROJECT_ROOT, "notebooks")).map((f) => `notebooks/${f}`)]
    .filter((f) => f.endsWith(".ipynb"));
  for (const notebook of notebooks) {
    const kernel = JSON.parse(readFileSync(join(PROJECT_ROOT, notebook), "utf8")).metadata.kernelspec.name;
    assert.ok(text.includes(`kernels/${kernel}/`), `${notebook} asks for kernel "${kernel}", which the README omits`);
  }
});
