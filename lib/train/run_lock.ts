// A training's lock on its run folder: <run>/train.lock holds the pid of the training writing there, so that two
// trainings never interleave their records. The lock file appears with its content at once (hard link of a written
// temp file, which fails when the lock exists); a lock whose process has ended (killed) is taken over with a message.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";

export const LOCK_FILE = "train.lock";

export interface RunLock {
  readonly path: string;
  /** Removes the lock file (when it is still this process's). */
  release(): void;
}

/** The pid a lock file holds, or null when it is gone or unreadable. */
function lockHolder(path: string): number | null {
  try {
    const pid = Number(readFileSync(path, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === "EPERM";
  }
}

/**
 * Locks `runDir` (created if needed) for this process; throws, naming the folder and the pid holding it, when a
 * running process holds it. A lock left by a process that has ended is taken over; `log` says so.
 */
export function lockRun(runDir: string, log: (message: string) => void = console.warn): RunLock {
  mkdirSync(runDir, { recursive: true });
  const path = join(runDir, LOCK_FILE);
  const temp = join(runDir, `.${LOCK_FILE}.${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`);
  writeFileSync(temp, `${Deno.pid}\n`);
  try {
    for (let attempt = 1;; attempt++) {
      try {
        Deno.linkSync(temp, path);
        return {
          path,
          release: () => {
            if (lockHolder(path) === Deno.pid) rmSync(path, { force: true });
          },
        };
      } catch (e) {
        if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
      }
      const holder = lockHolder(path);
      if ((holder !== null && isAlive(holder)) || attempt > 1) {
        throw new Error(
          `${runDir} is in use: the training with pid ${holder ?? "?"} writes to it (lock file ${path}); wait for ` +
            `it to end or stop it (Ctrl-C or kill ${holder ?? "<pid>"} saves a checkpoint)`,
        );
      }
      log(`${path}: taking over the lock of pid ${holder ?? "?"}, which has ended`);
      rmSync(path, { force: true });
    }
  } finally {
    rmSync(temp, { force: true });
  }
}
