// Recursive file listing by name suffix, used by dataset readers to find frames in nested folders.

import { readdirSync } from "node:fs";
import { join } from "node:path";

/** All files under `dir` (recursively) whose name ends with `suffix`, sorted by path. */
export function findFiles(dir: string, suffix: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(suffix)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}
