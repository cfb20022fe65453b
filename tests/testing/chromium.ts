// Headless Chromium for end-to-end tests: a page opened and driven over the DevTools protocol (evaluate, wait for,
// screenshot), and how much ink a screenshot holds (a blank page from one with content and text).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { CHROMIUM } from "../../tools/setup/system.ts";

/** Share of pixels that are not near-white, and share that are dark (text), in an RGB(A) image. */
export async function inkShares(png: Uint8Array): Promise<{ nonWhite: number; dark: number }> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let nonWhite = 0, dark = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    const max = Math.max(data[i], data[i + 1], data[i + 2]);
    if (Math.min(data[i], data[i + 1], data[i + 2]) < 235) nonWhite++;
    if (max < 90) dark++;
  }
  const pixels = info.width * info.height;
  return { nonWhite: nonWhite / pixels, dark: dark / pixels };
}

/** A page in headless Chromium. */
export interface BrowserPage extends AsyncDisposable {
  /** The value of a JavaScript expression in the page (awaited when it is a promise). */
  evaluate<T>(expression: string): Promise<T>;
  /** Polls `expression` until it is truthy; throws after `timeoutMs` with the last value of `describe`. */
  waitFor<T>(expression: string, timeoutMs: number, describe?: string): Promise<T>;
  /** A PNG of the whole page. */
  screenshot(): Promise<Uint8Array>;
  /** What the page logged to its console. */
  console: string[];
}

/** Opens `url` in Debian's headless Chromium (a fresh profile, removed on dispose) at a window size. */
export async function openPage(url: string, window = { width: 1400, height: 1000 }): Promise<BrowserPage> {
  const profile = mkdtempSync(join(tmpdir(), "chromium-"));
  const child = new Deno.Command(CHROMIUM, {
    args: [
      "--headless",
      "--no-sandbox",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--hide-scrollbars",
      `--user-data-dir=${profile}`,
      `--window-size=${window.width},${window.height}`,
      "--remote-debugging-port=0",
      "about:blank",
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const close = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
    // Chromium's helper processes may still be writing into the profile for a moment.
    for (let k = 0; k < 20; k++) {
      try {
        return rmSync(profile, { recursive: true, force: true });
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  try {
    const port = await devtoolsPort(profile);
    const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json() as {
      type: string;
      webSocketDebuggerUrl: string;
    }[];
    const target = targets.find((t) => t.type === "page");
    if (!target) throw new Error("chromium opened no page");
    const session = await connect(target.webSocketDebuggerUrl);
    const messages: string[] = [];
    session.onEvent = (method, params) => {
      if (method === "Runtime.consoleAPICalled") {
        const args = (params.args as { value?: unknown; description?: string }[]) ?? [];
        messages.push(args.map((a) => a.description ?? String(a.value)).join(" "));
      }
    };
    await session.send("Runtime.enable");
    await session.send("Page.enable");
    await session.send("Page.navigate", { url });
    const evaluate = async <T>(expression: string): Promise<T> => {
      const r = await session.send("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
      const details = r.exceptionDetails as { text: string; exception?: { description?: string } } | undefined;
      if (details) throw new Error(`${expression}: ${details.exception?.description ?? details.text}`);
      return (r.result as { value: T }).value;
    };
    return {
      evaluate,
      console: messages,
      async waitFor<T>(expression: string, timeoutMs: number, describe = "document.title") {
        const end = Date.now() + timeoutMs;
        while (Date.now() < end) {
          const value = await evaluate<T>(expression).catch(() => undefined);
          if (value) return value;
          await new Promise((r) => setTimeout(r, 250));
        }
        const state = await evaluate<string>(describe).catch((e) => String(e));
        throw new Error(`${expression} still false after ${timeoutMs} ms; ${describe}: ${state}`);
      },
      async screenshot() {
        const r = await session.send("Page.captureScreenshot", { format: "png", captureBeyondViewport: true });
        return Uint8Array.from(atob(r.data as string), (c) => c.charCodeAt(0));
      },
      async [Symbol.asyncDispose]() {
        session.close();
        await close();
      },
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** The port Chromium's DevTools listen on, from the DevToolsActivePort file it writes into its profile. */
async function devtoolsPort(profile: string): Promise<number> {
  for (let k = 0; k < 200; k++) {
    try {
      const port = Number(readFileSync(join(profile, "DevToolsActivePort"), "utf8").split("\n")[0]);
      if (port > 0) return port;
    } catch { /* not written yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`chromium wrote no DevToolsActivePort into ${profile} within 20 s`);
}

interface Session {
  send(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  onEvent: (method: string, params: Record<string, unknown>) => void;
  close(): void;
}

/** A DevTools protocol session over the target's WebSocket. */
async function connect(url: string): Promise<Session> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error(`cannot connect to ${url}`));
  });
  const pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  let next = 1;
  const session: Session = {
    send(method, params = {}) {
      const id = next++;
      socket.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    },
    onEvent: () => {},
    close: () => socket.close(),
  };
  socket.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    if (msg.id === undefined) return session.onEvent(msg.method, msg.params ?? {});
    const waiting = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.error) waiting?.reject(new Error(`${msg.error.message} (${msg.error.code})`));
    else waiting?.resolve(msg.result);
  };
  return session;
}
