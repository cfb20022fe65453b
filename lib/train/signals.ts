// Runs a callback once when the process is asked to stop (SIGINT / Ctrl-C or SIGTERM), so a trainer can save a
// checkpoint first; a second signal exits at once. The handle also exposes the signal for loops that poll it.

export interface ShutdownHandle {
  /** The first stop signal received, or null while none has come. */
  readonly signal: Deno.Signal | null;
  /** Removes the listeners (the callback will not run any more). */
  dispose(): void;
}

export interface ShutdownOptions {
  /** Exit when the callback has settled, with 128 + the signal number (130 for SIGINT, 143 for SIGTERM). Default true. */
  exit?: boolean;
}

const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 } as const;
type StopSignal = keyof typeof SIGNAL_NUMBERS;

/**
 * Calls `callback` on the first SIGINT or SIGTERM (Windows: SIGINT only). A rejected callback is reported and the
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
  const signals: StopSignal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
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
  return {
    get signal() {
      return received;
    },
    dispose() {
      for (const { signal, listener } of listeners) Deno.removeSignalListener(signal, listener);
    },
  };
}
