// Runs a Python interpreter for the bench peers (PyTorch, numpy): whether a module imports, and a peer script
// whose last stdout line is its JSON result.

/** Debian's interpreter, where python3-torch and python3-numpy are installed (not a pyenv python3 on PATH). */
export const DEFAULT_PYTHON = "/usr/bin/python3";

export interface ProcessOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `python args`; a missing interpreter is reported as exit code -1 with the reason in stderr. */
export async function runPython(python: string, args: string[]): Promise<ProcessOutput> {
  try {
    const out = await new Deno.Command(python, { args, stdout: "piped", stderr: "piped" }).output();
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
  } catch (e) {
    return { code: -1, stdout: "", stderr: e instanceof Error ? e.message : String(e) };
  }
}

/** The module's `__version__` when `python` can import it, else the reason it cannot. */
export async function pythonModuleVersion(
  python: string,
  module: string,
): Promise<{ version: string } | { missing: string }> {
  const r = await runPython(python, ["-c", `import ${module}; print(${module}.__version__)`]);
  if (r.code === 0) return { version: r.stdout.trim() };
  return { missing: `${python} cannot import ${module} (${r.stderr.trim().split("\n").at(-1)})` };
}

/** Runs a peer script and parses the JSON object on its last stdout line; errors name the script. */
export async function runPythonPeer<T>(python: string, script: string, args: string[]): Promise<T> {
  const r = await runPython(python, [script, ...args]);
  if (r.code !== 0) throw new Error(`${script} failed (exit ${r.code}): ${r.stderr.trim().slice(-2000)}`);
  try {
    return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as T;
  } catch {
    throw new Error(`${script} printed no JSON result: ${r.stdout.slice(-500)}`);
  }
}
