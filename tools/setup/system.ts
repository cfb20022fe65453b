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

/** The machine setup checks and installs on: `hostSystem()` is this one; tests pass stand-ins. */
export interface SystemPaths {
  /** The PATH that `jupyter` and `apt-get` are looked up on. */
  path: string;
  /** A folder whose presence means the DejaVu fonts are installed. */
  fontDir: string;
  chromium: string;
  /** Folders where Vulkan drivers register; none with a driver means no WebGPU adapter (Linux). */
  vulkanIcdDirs: string[];
  /** Whether this process may install packages (it runs as root). */
  root: boolean;
}

export function hostSystem(): SystemPaths {
  return {
    path: Deno.env.get("PATH") ?? "",
    fontDir: FONT_DIR,
    chromium: CHROMIUM,
    vulkanIcdDirs: Deno.build.os === "linux" ? VULKAN_ICD_DIRS : [],
    root: Deno.uid?.() === 0,
  };
}

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

async function hasNbconvert(system: SystemPaths): Promise<boolean> {
  return (await run("jupyter", ["nbconvert", "--version"], { env: { PATH: system.path } })).code === 0;
}

function onPath(program: string, path: string): boolean {
  return path.split(":").some((dir) => dir !== "" && existsSync(join(dir, program)));
}

/** True when none of `dirs` holds a Vulkan driver (an empty list: not Linux, nothing to check). */
function lacksVulkanDriver(dirs: string[]): boolean {
  return dirs.length > 0 && !dirs.some((d) => existsSync(d) && readdirSync(d).length > 0);
}

/**
 * Installs the Debian packages when nbconvert, the font, Chromium or a Vulkan driver is missing; the Vulkan driver
 * alone is optional (without it the webgpu tests are ignored).
 */
export async function ensureJupyterAndFonts(log: (s: string) => void, system = hostSystem()): Promise<void> {
  const missing = [
    ...(await hasNbconvert(system) ? [] : ["jupyter nbconvert"]),
    ...[system.fontDir, system.chromium].filter((path) => !existsSync(path)),
  ];
  const noVulkan = lacksVulkanDriver(system.vulkanIcdDirs);
  if (missing.length === 0 && !noVulkan) return;
  const install = `apt-get install -y ${APT_PACKAGES.join(" ")}`;
  if (!system.root || !onPath("apt-get", system.path)) {
    if (missing.length === 0) {
      log(
        "no Vulkan driver, so no WebGPU adapter: the webgpu tests will be ignored (on Debian: sudo apt-get install " +
          "-y mesa-vulkan-drivers gives a software one)",
      );
      return;
    }
    throw new Error(
      `${missing.join(", ")} missing, and setup installs them only as root on Debian (apt-get). ` +
        `Install them with: sudo apt-get update && sudo ${install}` +
        "  — or elsewhere: python3 -m pip install notebook nbconvert ipykernel (and any DejaVu font and Chromium)",
    );
  }
  log(`installing Debian packages: ${APT_PACKAGES.join(" ")}`);
  const env = { PATH: system.path, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", ...APT_PACKAGES]]) {
    const r = await run("apt-get", args, { inherit: true, env });
    if (r.code !== 0) throw new Error(`apt-get ${args.join(" ")} failed with exit code ${r.code}`);
  }
  if (!await hasNbconvert(system)) throw new Error(`jupyter nbconvert is still missing after ${install}`);
}

/** Where Jupyter finds user kernels (the same place `deno jupyter --install` writes to). */
const KERNEL_JSON = join(Deno.env.get("HOME") ?? "/root", ".local/share/jupyter/kernels/deno/kernel.json");

/** Registers the Deno kernel with this deno binary's absolute path in `kernelJson`, unless it is registered so already. */
export function ensureDenoKernel(log: (s: string) => void, kernelJson = KERNEL_JSON): void {
  const spec = JSON.stringify(
    {
      argv: [Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"],
      display_name: "Deno",
      language: "typescript",
    },
    null,
    2,
  );
  if (existsSync(kernelJson) && readFileSync(kernelJson, "utf8") === spec) return;
  log(`registering the Deno Jupyter kernel (${Deno.execPath()}) in ${kernelJson}`);
  mkdirSync(dirname(kernelJson), { recursive: true });
  writeFileSync(`${kernelJson}.tmp`, spec);
  renameSync(`${kernelJson}.tmp`, kernelJson);
}
