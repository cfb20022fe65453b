// Test helper run as a subprocess: registers onShutdownSignal and reports on stdout what happens.
// Modes: "exit" (callback saves after 200 ms, then the helper exits), "hang" (callback never finishes),
// "poll" (exit: false; a loop polls the handle and ends normally), "fail" (callback throws).
import { onShutdownSignal } from "../signals.ts";

const mode = Deno.args[0];
let calls = 0;
const handle = onShutdownSignal(async (signal) => {
  calls++;
  console.log(`callback ${signal} ${calls}`);
  if (mode === "fail") throw new Error("save failed");
  await new Promise((resolve) => setTimeout(resolve, mode === "hang" ? 60_000 : 200));
  console.log(`saved ${calls}`);
}, { exit: mode !== "poll" });
console.log("ready");
const timer = setInterval(() => {
  if (mode === "poll" && handle.signal) {
    clearInterval(timer);
    handle.dispose();
    setTimeout(() => console.log(`stopped by ${handle.signal}`), 300);
  }
}, 20);
