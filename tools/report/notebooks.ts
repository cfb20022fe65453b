// Executes Jupyter notebooks (Deno kernel) headless with nbconvert and writes the result atomically.
import { mkdtempSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { run } from "../setup/system.ts";

export type NotebookFormat = "html" | "notebook";

export interface ExecuteOptions {
  /** Where the output goes: `<outputDir>/<name>.html` or `.ipynb`. */
  outputDir: string;
  format: NotebookFormat;
  /** Extra environment for the kernel, e.g. { PANOPTIC_FAST: "1" }. */
  env?: Record<string, string>;
  /** Seconds a single cell may take; -1 = no limit. */
  cellTimeout?: number;
  /** Leave the code cells' input out of the output (the report reads as a document; parts show their code). */
  hideInput?: boolean;
}

/** Runs every cell of `notebook` (cwd = its folder); throws with nbconvert's error when a cell fails. */
export async function executeNotebook(notebook: string, options: ExecuteOptions): Promise<string> {
  const name = basename(notebook, ".ipynb");
  const ext = options.format === "html" ? ".html" : ".ipynb";
  const tmp = mkdtempSync(join(options.outputDir, `.${name}-`));
  try {
    const r = await run("jupyter", [
      "nbconvert",
      "--to",
      options.format,
      "--execute",
      `--ExecutePreprocessor.timeout=${options.cellTimeout ?? -1}`,
      "--ExecutePreprocessor.kernel_name=deno",
      ...(options.hideInput ? ["--no-input"] : []),
      `--ExecutePreprocessor.cwd=${dirname(notebook)}`,
      "--output-dir",
      tmp,
      "--output",
      name,
      notebook,
    ], { env: options.env });
    if (r.code !== 0) {
      const tail = r.stderr.trim().split("\n").slice(-25).join("\n");
      throw new Error(`notebook ${notebook} failed (nbconvert exit ${r.code}):\n${tail}`);
    }
    const out = join(options.outputDir, name + ext);
    renameSync(join(tmp, name + ext), out);
    return out;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The report first, then the part notebooks in order. */
export function reportNotebooks(root: string): string[] {
  const parts = [...Deno.readDirSync(join(root, "notebooks"))]
    .filter((e) => e.isFile && e.name.endsWith(".ipynb"))
    .map((e) => join(root, "notebooks", e.name))
    .sort();
  return [join(root, "report.ipynb"), ...parts];
}
