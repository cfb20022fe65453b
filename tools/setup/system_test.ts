// The install path of `deno task setup` on a machine without Jupyter, fonts or Chromium, walked with stand-in
// `apt-get` and `jupyter` programs in a temporary folder: no root, no network, no change to this machine.
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDenoKernel, ensureJupyterAndFonts, type SystemPaths } from "./system.ts";

/** The packages every install needs, first in apt-get's list. */
const PACKAGES = "jupyter-notebook jupyter-nbconvert python3-ipykernel fonts-dejavu-core chromium";

/** A bare machine in a temporary folder: `bin/` holds only a stand-in apt-get, which records its arguments and
 * environment in `apt.log`, prints to its (inherited) output and, on `install`, creates the stand-in `jupyter`, the
 * font folder, Chromium and a Vulkan driver's registration. */
function bareMachine(root: boolean, aptExit = 0): { dir: string; system: SystemPaths; aptLog: string } {
  const dir = mkdtempSync(join(tmpdir(), "bare-machine-"));
  const bin = join(dir, "bin");
  mkdirSync(bin);
  const icd = join(dir, "vulkan", "icd.d");
  const system = {
    path: bin,
    fontDir: join(dir, "fonts"),
    chromium: join(dir, "chromium"),
    vulkanIcdDirs: [icd],
    root,
  };
  const aptLog = join(dir, "apt.log");
  writeFileSync(
    join(bin, "apt-get"),
    `#!/bin/sh
PATH=/usr/bin:/bin
echo "DEBIAN_FRONTEND=$DEBIAN_FRONTEND $*" >> ${aptLog}
echo "stand-in apt-get $1"
[ ${aptExit} -ne 0 ] && exit ${aptExit}
if [ "$1" = install ]; then
  printf '#!/bin/sh\\n[ "$1 $2" = "nbconvert --version" ] && echo 6.5.3\\n' > ${bin}/jupyter
  chmod +x ${bin}/jupyter
  mkdir -p ${system.fontDir}
  touch ${system.chromium}
  mkdir -p ${icd} && touch ${icd}/lvp_icd.x86_64.json
fi
`,
  );
  chmodSync(join(bin, "apt-get"), 0o755);
  return { dir, system, aptLog };
}

Deno.test("setup as root installs the Debian packages with apt-get (output passed through), then changes nothing", async () => {
  const { dir, system, aptLog } = bareMachine(true);
  try {
    const logged: string[] = [];
    await ensureJupyterAndFonts((s) => logged.push(s), system);
    const [update, install, ...more] = readFileSync(aptLog, "utf8").trim().split("\n");
    assert.equal(update, "DEBIAN_FRONTEND=noninteractive update -qq");
    assert.ok(install.startsWith(`DEBIAN_FRONTEND=noninteractive install -y -qq ${PACKAGES}`), install);
    assert.deepEqual(more, []);
    assert.deepEqual(logged, [`installing Debian packages: ${install.split(" -qq ")[1]}`]);
    rmSync(aptLog);
    await ensureJupyterAndFonts((s) => logged.push(s), system);
    assert.ok(!existsSync(aptLog), "apt-get ran again although everything was installed");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("setup names the apt-get command that failed", async () => {
  const { dir, system } = bareMachine(true, 100);
  try {
    const failed = /^Error: apt-get update -qq failed with exit code 100$/;
    await assert.rejects(ensureJupyterAndFonts(() => {}, system), failed);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("setup without root, or without apt-get, installs nothing and names the command to run", async () => {
  const { dir, system, aptLog } = bareMachine(false);
  try {
    const command = `sudo apt-get update && sudo apt-get install -y ${PACKAGES}`;
    for (const machine of [system, { ...system, root: true, path: join(dir, "empty") }]) {
      await assert.rejects(ensureJupyterAndFonts(() => {}, machine), (e: Error) => {
        assert.ok(e.message.startsWith(`jupyter nbconvert, ${system.fontDir}, ${system.chromium} missing`), e.message);
        return e.message.includes(command);
      });
    }
    assert.ok(!existsSync(aptLog), "apt-get ran without root");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("a missing Vulkan driver alone is installed as root, and only noted without root", async () => {
  const { dir, system, aptLog } = bareMachine(true);
  try {
    mkdirSync(system.fontDir);
    writeFileSync(system.chromium, "");
    writeFileSync(join(system.path, "jupyter"), '#!/bin/sh\n[ "$1 $2" = "nbconvert --version" ] && echo 6.5.3\n');
    chmodSync(join(system.path, "jupyter"), 0o755);
    const logged: string[] = [];
    await ensureJupyterAndFonts((s) => logged.push(s), { ...system, root: false });
    assert.ok(!existsSync(aptLog), "apt-get ran without root");
    assert.match(logged.join("\n"), /no Vulkan driver, so no WebGPU adapter: the webgpu tests will be ignored/);
    await ensureJupyterAndFonts(() => {}, system);
    assert.match(readFileSync(aptLog, "utf8"), /install -y -qq .*mesa-vulkan-drivers/);
    assert.ok(existsSync(join(system.vulkanIcdDirs[0], "lvp_icd.x86_64.json")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("the Deno kernel is registered with this deno binary once", () => {
  const dir = mkdtempSync(join(tmpdir(), "kernel-"));
  try {
    const kernelJson = join(dir, "kernels", "deno", "kernel.json");
    const logged: string[] = [];
    ensureDenoKernel((s) => logged.push(s), kernelJson);
    ensureDenoKernel((s) => logged.push(s), kernelJson);
    assert.equal(JSON.parse(readFileSync(kernelJson, "utf8")).argv[0], Deno.execPath());
    assert.equal(logged.length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
