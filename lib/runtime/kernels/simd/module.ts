// Assembles kernels.wat (SIMD and relaxed-SIMD fused multiply-adds) with wabt, for a shared memory (tfjs-wasm's
// threaded build) or an unshared one (its single-thread build); once per variant and thread.
import wabtInit from "wabt";

const SHARED_IMPORT = `(import "env" "memory" (memory 1 65536 shared))`;
const UNSHARED_IMPORT = `(import "env" "memory" (memory 1))`;
const assembled = new Map<boolean, Promise<Uint8Array<ArrayBuffer>>>();

/** The binary of kernels.wat importing a shared or an unshared memory. */
export function simdKernelsBinary(shared: boolean): Promise<Uint8Array<ArrayBuffer>> {
  let binary = assembled.get(shared);
  if (!binary) {
    binary = assemble(shared);
    assembled.set(shared, binary);
  }
  return binary;
}

async function assemble(shared: boolean): Promise<Uint8Array<ArrayBuffer>> {
  const url = new URL("./kernels.wat", import.meta.url);
  const text = await Deno.readTextFile(url);
  if (!text.includes(SHARED_IMPORT)) throw new Error(`${url.pathname} no longer imports ${SHARED_IMPORT}`);
  const wabt = await wabtInit();
  const module = wabt.parseWat(url.pathname, shared ? text : text.replace(SHARED_IMPORT, UNSHARED_IMPORT), {
    simd: true,
    relaxed_simd: true,
    threads: true,
  });
  try {
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}
