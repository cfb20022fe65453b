// Test-only worker for worker_rpc_test.ts: answers "echo" with its text, fails "fail" in its handler (an error
// reply), and crashes on "crash" (an error thrown outside the handler, which ends the worker).
/// <reference lib="deno.worker" />
import { serveRequests } from "../worker_rpc.ts";

export type EchoRequest = { type: "echo"; text: string } | { type: "fail" } | { type: "crash" };

serveRequests<EchoRequest, { text: string }>((request) => {
  switch (request.type) {
    case "echo":
      return Promise.resolve({ reply: { text: request.text } });
    case "fail":
      return Promise.reject(new Error("asked to fail"));
    case "crash":
      setTimeout(() => {
        throw new Error("asked to crash");
      });
      return new Promise(() => {}); // never answers: the crash does
  }
});
