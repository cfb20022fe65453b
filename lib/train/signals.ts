// Runs a callback once when the process is asked to stop (SIGINT / Ctrl-C, SIGTERM, SIGHUP, or — on Linux — the end
// of a wrapper that started it), so a trainer can save a checkpoint first; a second signal exits at once. The handle
// also exposes the signal for loops that poll it.
//
// Wrappers: `npx deno task train` runs node → sh → deno task → deno run, and a SIGTERM to npx reaches none of the
// others, which would train on, orphaned. So the process also watches the chain of wrappers above it (deno, node and
// sh processes of its own process group) and takes the end of any of them, seen as a broken parent link, for SIGHUP.
// The chain stops at the first other process (a shell, nohup's caller), whose end does not stop the training.

export interface ShutdownHandle {
  /** The first stop signal received, or null while none has come. */
  readonly signal: Deno.Signal | null;
  /** Removes the listeners (the callback will not run any more). */
  dispose(): void;
}

export interface ShutdownOptions {
  /** Exit when the callback has settled, with 128 + the signal number (130 for SIGINT, 143 for SIGTERM). Default true. */
  exit?: boolean;
  /** Milliseconds between checks of the wrapper chain (Linux); 0 = no watch. Default 1000. */
  watchWrappersMs?: number;
}

const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
type StopSignal = keyof typeof SIGNAL_NUMBERS;

/** Names (executable or command) of the processes that only relay a command: npx's node, npm's sh, deno task. */
const WRAPPER_NAMES = new Set(["deno", "node", "nodejs", "sh"]);

interface ProcessInfo {
  ppid: number;
  pgid: number;
  names: string[];
}

/** A process's parent, group and names from /proc, or null when it has ended (or /proc is not there). */
function processInfo(pid: number): ProcessInfo | null {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const [, ppid, pgid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const names = [Deno.readTextFileSync(`/proc/${pid}/comm`).trim()];
    try {
      names.push(Deno.readLinkSync(`/proc/${pid}/exe`).split("/").pop()!.replace(/ \(deleted\)$/, ""));
    } catch {
      // another user's process: its command name alone
    }
    return { ppid: Number(ppid), pgid: Number(pgid), names };
  } catch {
    return null;
  }
}

/** This process and the wrappers above it, child first: each entry's parent must stay the next one. */
function wrapperChain(): number[] {
  const self = processInfo(Deno.pid);
  if (!self) return [];
  const chain = [Deno.pid];
  for (let info = self; info.ppid > 1;) {
    const parent = processInfo(info.ppid);
    if (!parent || parent.pgid !== self.pgid || !parent.names.some((n) => WRAPPER_NAMES.has(n))) break;
    chain.push(info.ppid);
    info = parent;
  }
  return chain;
}

/** The first wrapper of `chain` found ended (its child's parent changed), or null while all run. */
function endedWrapper(chain: number[]): number | null {
  for (let i = 0; i + 1 < chain.length; i++) {
    if (processInfo(chain[i])?.ppid !== chain[i + 1]) return chain[i + 1];
  }
  return null;
}

/**
 * Calls `callback` on the first SIGINT, SIGTERM or SIGHUP, or when a wrapper that started this process ends (see
 * above; Windows: SIGINT only). A rejected callback is reported and the
 * process exits with 1. Any further stop signal, e.g. a second Ctrl-C while a save hangs, exits immediately.
 * The callback runs at the training loop's next await: one that saves must first wait for the current step to end
 * (else weights and optimizer state may come from different steps), or use `exit: false` and let the loop poll
 * `signal` after each step, save, and return.
 */
export function onShutdownSignal(
  callback: (signal: Deno.Signal) => void | Promise<void>,
  options: ShutdownOptions = {},
): ShutdownHandle {
  const exit = options.exit ?? true;
  const signals: StopSignal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM", "SIGHUP"];
  let received: StopSignal | null = null;
  const listeners = signals.map((signal) => {
    const listener = () => {
      if (received) Deno.exit(128 + SIGNAL_NUMBERS[signal]);
      received = signal;
      Promise.resolve()
        .then(() => callback(signal))
        .then(
          () => exit && Deno.exit(128 + SIGNAL_NUMBERS[signal]),
          (e) => {
            console.error(`signals.ts: the ${signal} handler failed: ${e instanceof Error ? e.stack : e}`);
            Deno.exit(1);
          },
        );
    };
    Deno.addSignalListener(signal, listener);
    return { signal, listener };
  });
  const chain = Deno.build.os === "linux" && (options.watchWrappersMs ?? 1000) > 0 ? wrapperChain() : [];
  const watch = chain.length > 1
    ? setInterval(() => {
      const ended = endedWrapper(chain);
      if (ended === null) return;
      clearInterval(watch);
      if (received) return; // already stopping: a wrapper ending now (Ctrl-C reaches them all) must not cut it short
      console.error(`signals.ts: the wrapper process ${ended} that started this one has ended: stopping as on SIGHUP`);
      listeners.find((l) => l.signal === "SIGHUP")!.listener();
    }, options.watchWrappersMs ?? 1000)
    : undefined;
  if (watch !== undefined) Deno.unrefTimer(watch);
  return {
    get signal() {
      return received;
    },
    dispose() {
      clearInterval(watch);
      for (const { signal, listener } of listeners) Deno.removeSignalListener(signal, listener);
    },
  };
}
