// Makes sure the system tools the report and the tests need are present: Jupyter with nbconvert, the Deno
// Jupyter kernel, a font, Chromium (screenshots of the report) and on Linux a Vulkan driver (a WebGPU adapter for the
// webgpu tests, in software without a GPU). Installs them with apt-get when running as root on Debian; otherwise
// explains how.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const APT_PACKAGES = [
  "jupyter-notebook",
  "jupyter-nbconvert",
  "python3-ipykernel",
  "fonts-dejavu-core",
  "chromium",
  "mesa-vulkan-drivers",
];
/** Where Vulkan drivers register (Mesa's under /usr/share, some GPU vendors' under /etc). */
const VULKAN_ICD_DIRS = ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d"];
const FONT_DIR = "/usr/share/fonts/truetype/dejavu";
/** Debian's headless-capable Chromium, used by the report screenshot test. */
export const CHROMIUM = "/usr/bin/chromium";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Pass the child's output through to ours instead of capturing it. */
  inherit?: boolean;
  env?: Record<string, string>;
}

/** Runs a program to completion; a missing program gives code 127 instead of throwing. */
export async function run(cmd: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
  const inherit = options.inherit ?? false;
  try {
    const out = await new Deno.Command(cmd, {
      args,
      env: options.env,
      stdout: inherit ? "inherit" : "piped",
      stderr: inherit ? "inherit" : "piped",
    }).output();
    // An inherited stream has no bytes to read: Deno throws on `out.stdout` unless it was piped.
    if (inherit) return { code: out.code, stdout: "", stderr: "" };
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { code: 127, stdout: "", stderr: `${cmd}: not found` };
    throw e;
  }
}

async function hasNbconvert(): Promise<boolean> {
  return (await run("jupyter", ["nbconvert", "--version"])).code === 0;
}

function isRootOnDebian(): boolean {
  return Deno.uid?.() === 0 && existsSync("/usr/bin/apt-get");
}

/** True on Linux without any Vulkan driver: Deno then has no WebGPU adapter. */
function lacksVulkanDriver(): boolean {
  return Deno.build.os === "linux" && !VULKAN_ICD_DIRS.some((d) => existsSync(d) && readdirSync(d).length > 0);
}

/**
 * Installs the Debian packages when nbconvert, the font, Chromium or a Vulkan driver is missing; the Vulkan driver
 * alone is optional (without it the webgpu tests are ignored).
 */
export async function ensureJupyterAndFonts(log: (s: string) => void): Promise<void> {
  if (await hasNbconvert() && existsSync(FONT_DIR) && existsSync(CHROMIUM)) {
    if (!lacksVulkanDriver()) return;
    if (!isRootOnDebian()) {
      log(
        "no Vulkan driver, so no WebGPU adapter: the webgpu tests will be ignored (on Debian: sudo apt-get install " +
          "-y mesa-vulkan-drivers gives a software one)",
      );
      return;
    }
  }
  if (!isRootOnDebian()) {
    throw new Error(
      "Jupyter (nbconvert), the DejaVu fonts or Chromium are missing and cannot be installed automatically (needs root on " +
        "Debian). Install them with: sudo apt-get install -y " + APT_PACKAGES.join(" ") +
        "  — or elsewhere: python3 -m pip install notebook nbconvert ipykernel (and any DejaVu font and Chromium)",
    );
  }
  log(`installing Debian packages: ${APT_PACKAGES.join(" ")}`);
  Deno.env.set("DEBIAN_FRONTEND", "noninteractive");
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", ...APT_PACKAGES]]) {
    const r = await run("apt-get", args, { inherit: true });
    if (r.code !== 0) throw new Error(`apt-get ${args.join(" ")} failed with exit code ${r.code}`);
  }
  if (!await hasNbconvert()) throw new Error("jupyter nbconvert is still missing after apt-get install");
}

/** Where Jupyter finds user kernels (the same place `deno jupyter --install` writes to). */
const KERNEL_JSON = join(Deno.env.get("HOME") ?? "/root", ".local/share/jupyter/kernels/deno/kernel.json");

/** Registers the Deno kernel with this deno binary's absolute path, unless it is registered so already. */
export function ensureDenoKernel(log: (s: string) => void): void {
  const spec = JSON.stringify(
    {
      argv: [Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"],
      display_name: "Deno",
      language: "typescript",
    },
    null,
    2,
  );
  if (existsSync(KERNEL_JSON) && readFileSync(KERNEL_JSON, "utf8") === spec) return;
  log(`registering the Deno Jupyter kernel (${Deno.execPath()}) in ${KERNEL_JSON}`);
  mkdirSync(dirname(KERNEL_JSON), { recursive: true });
  writeFileSync(`${KERNEL_JSON}.tmp`, spec);
  renameSync(`${KERNEL_JSON}.tmp`, KERNEL_JSON);
}
