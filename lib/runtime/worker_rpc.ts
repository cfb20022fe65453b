// Request/reply over a Deno worker, both sides: the client sends one request at a time and gets its reply (or the
// worker's error, with its stack; or, once the worker has crashed, the crash) as a promise; the worker side answers
// each request with a handler's reply.
// Data-parallel training (lib/train/data_parallel.ts) and the inference pool (lib/model/inference_pool.ts) use it.

import { SerialQueue } from "./serial_queue.ts";

/** What a worker sends back when its handler throws. */
export interface ErrorReply {
  type: "error";
  message: string;
}

/** A handler's answer: the reply and the buffers to transfer (not copy) with it. */
export interface Answer<Reply> {
  reply: Reply;
  transfer?: ArrayBuffer[];
}

/**
 * A worker started from `url` that answers requests in order. Requests are sent one at a time (the next once the
 * previous is answered), so a worker whose handler awaits never works on two at once.
 */
export class WorkerClient<Request, Reply> {
  private readonly worker: Worker;
  private waiter: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;
  private readonly queue = new SerialQueue();
  /** Set once the worker has crashed: the request in flight and every later one fail with it. */
  private crash: Error | null = null;

  /** `name` starts the errors' messages, e.g. "data-parallel worker 1". */
  constructor(url: URL, readonly name: string) {
    this.worker = new Worker(url, { type: "module" });
    this.worker.onmessage = (e: MessageEvent<Reply | ErrorReply>) => {
      const waiter = this.waiter!;
      this.waiter = null;
      const data = e.data as { type?: string; message?: string };
      if (data.type === "error") waiter.reject(new Error(`${name}: ${data.message}`));
      else waiter.resolve(e.data as Reply);
    };
    this.worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.crash = new Error(`${name} crashed: ${e.message}`);
      this.waiter?.reject(this.crash);
      this.waiter = null;
    };
  }

  call(request: Request, transfer: ArrayBuffer[] = []): Promise<Reply> {
    return this.queue.run(() =>
      new Promise<Reply>((resolve, reject) => {
        if (this.crash) return reject(this.crash);
        this.waiter = { resolve, reject };
        this.worker.postMessage(request, transfer);
      })
    );
  }

  terminate(): void {
    this.worker.terminate();
  }
}

/** Worker side: answers every request with `handle`'s reply, or an ErrorReply when it throws. */
export function serveRequests<Request, Reply>(handle: (request: Request) => Promise<Answer<Reply>>): void {
  const scope = self as unknown as WorkerScope<Request>;
  scope.onmessage = async (e) => {
    try {
      const { reply, transfer } = await handle(e.data);
      scope.postMessage(reply, { transfer: transfer ?? [] });
    } catch (err) {
      const message = err instanceof Error ? err.stack ?? err.message : String(err);
      scope.postMessage({ type: "error", message } satisfies ErrorReply);
    }
  };
}

/** The part of a worker's global scope serveRequests uses (this module is also imported outside workers). */
interface WorkerScope<Request> {
  onmessage: (e: MessageEvent<Request>) => void;
  postMessage(message: unknown, options?: { transfer: Transferable[] }): void;
}
