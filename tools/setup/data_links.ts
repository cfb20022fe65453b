// Links the datasets from ../shared/data into the project's git-ignored data/ folder, or explains where to
// download them. Never deletes or overwrites anything: an existing folder is checked and left as it is.
import { existsSync, lstatSync, mkdirSync, symlinkSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";

export interface DataLink {
  /** Human name used in messages. */
  name: string;
  /** Folder inside the project, e.g. "data/kitti". */
  target: string;
  /** Where the shared copy lives, relative to the project root, e.g. "../shared/data/kitti-semantics-2015". */
  shared: string;
  /** How a user elsewhere obtains the same files. */
  download: string;
  /** Lists what is missing or wrong in a folder (empty = complete). */
  check(dir: string): Promise<string[]>;
}

export type LinkOutcome = "present" | "linked";

/** Makes `root/target` usable: keeps a complete existing folder, else links the shared copy, else fails clearly. */
export async function ensureDataLink(root: string, link: DataLink): Promise<LinkOutcome> {
  const target = resolve(root, link.target);
  const shared = resolve(root, link.shared);
  if (isSymlink(target) && !existsSync(target)) {
    throw new Error(
      `${link.target} is a link to a missing folder (${Deno.readLinkSync(target)}); remove it or restore the ` +
        `folder. ${link.download}`,
    );
  }
  let outcome: LinkOutcome = "present";
  if (!existsSync(target)) {
    if (!existsSync(shared)) {
      throw new Error(
        `${link.name} not found: neither ${link.target} nor the shared folder ${shared} exists. ${link.download}`,
      );
    }
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(relative(dirname(target), shared), target, "dir");
    outcome = "linked";
  }
  const problems = await link.check(target);
  if (problems.length) {
    throw new Error(
      `${link.name} in ${link.target} is incomplete:\n  - ${problems.join("\n  - ")}\n${link.download}`,
    );
  }
  return outcome;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
