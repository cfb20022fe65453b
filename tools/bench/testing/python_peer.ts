// Test support for the Python-peer tests: the interpreter they use (PANOPTIC_TEST_PYTHON, else Debian's python3,
// where the bench peers run) and whether it imports a peer's module; a test that cannot run here is ignored, with
// the reason printed, instead of passing without testing anything.
import { DEFAULT_PYTHON, pythonModuleVersion } from "../python_process.ts";

export const TEST_PYTHON = Deno.env.get("PANOPTIC_TEST_PYTHON") ?? DEFAULT_PYTHON;

/** Deno.test's `ignore` for tests that need `module` in TEST_PYTHON: true, with the reason printed, when it is missing. */
export async function ignoreWithoutPython(module: string): Promise<boolean> {
  const found = await pythonModuleVersion(TEST_PYTHON, module);
  if ("version" in found) return false;
  console.log(`ignoring the tests that need Python's ${module}: ${found.missing}`);
  return true;
}
