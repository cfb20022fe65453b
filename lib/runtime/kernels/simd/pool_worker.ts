// One helper thread of lib/runtime/kernels/simd/pool.ts (a node:worker_threads worker): it instantiates the kernels on the
// shared memory, then runs its table of kernel calls each time the pool's generation counter moves.
import { parentPort, workerData } from "node:worker_threads";
import { CONTROL, type PoolWorkerData } from "./pool_control.ts";

if (!parentPort) throw new Error("lib/runtime/kernels/simd/pool_worker.ts runs only as a node:worker_threads worker");
const { binary, memory, control: controlAt, index } = workerData as PoolWorkerData;
const instance = new WebAssembly.Instance(new WebAssembly.Module(binary), { env: { memory } });
const runTable = instance.exports.runTable as (kernel: number, table: number, count: number) => void;
const control = new Int32Array(memory.buffer, controlAt, CONTROL.ints);
let seen = Atomics.load(control, CONTROL.generation);
parentPort.postMessage("ready");
for (;;) {
  Atomics.wait(control, CONTROL.generation, seen);
  seen = Atomics.load(control, CONTROL.generation);
  runTable(control[CONTROL.kernel], control[CONTROL.tableOffset(index)], control[CONTROL.tableCount(index)]);
  if (Atomics.sub(control, CONTROL.pending, 1) === 1) Atomics.notify(control, CONTROL.pending);
}
