// Attribute combinations the depthwise gradient tests cover (MobileNetV2 and Panoptic-DeepLab use all of these
// shapes of problem: strides 1-2, same/valid/explicit padding, dilation, multiplier, odd sizes, batch 1 and 2), and
// the check both gradient kernels' tests run over them.
import assert from "node:assert/strict";
import {
  type DepthwiseGeometry,
  depthwiseReferenceGrads,
  type KernelCall,
  relativeError,
  runOn,
  seeded,
  useWasm,
} from "./kernel_check.ts";

export const DEPTHWISE_CASES: DepthwiseGeometry[] = [
  { x: [2, 7, 9, 5], filter: [3, 3, 5, 1], strides: [1, 1], dilations: [1, 1], pad: "same" },
  { x: [2, 7, 9, 5], filter: [3, 3, 5, 1], strides: [2, 2], dilations: [1, 1], pad: "same" },
  { x: [1, 8, 6, 4], filter: [3, 3, 4, 1], strides: [2, 2], dilations: [1, 1], pad: "same" },
  { x: [2, 9, 7, 3], filter: [3, 3, 3, 1], strides: [2, 2], dilations: [1, 1], pad: "valid" },
  { x: [1, 6, 7, 4], filter: [3, 3, 4, 1], strides: [1, 2], dilations: [1, 1], pad: "valid" },
  { x: [2, 6, 5, 3], filter: [3, 3, 3, 1], strides: [1, 1], dilations: [1, 1], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [1, 7, 7, 3], filter: [3, 3, 3, 1], strides: [2, 2], dilations: [1, 1], pad: [[0, 0], [0, 1], [1, 1], [0, 0]] },
  { x: [1, 9, 8, 4], filter: [3, 3, 4, 1], strides: [1, 1], dilations: [2, 2], pad: "same" },
  { x: [2, 9, 9, 2], filter: [3, 3, 2, 1], strides: [1, 1], dilations: [2, 3], pad: "valid" },
  { x: [1, 11, 10, 3], filter: [5, 5, 3, 1], strides: [2, 2], dilations: [1, 1], pad: "same" },
  { x: [2, 6, 7, 3], filter: [3, 3, 3, 2], strides: [1, 1], dilations: [1, 1], pad: "same" },
  { x: [1, 7, 6, 2], filter: [3, 3, 2, 3], strides: [2, 2], dilations: [1, 1], pad: "same" },
];

export function describe(g: DepthwiseGeometry): string {
  const pad = typeof g.pad === "string" ? g.pad : JSON.stringify(g.pad);
  return `x ${g.x} filter ${g.filter} strides ${g.strides} dilations ${g.dilations} pad ${pad}`;
}

/**
 * For every case: the wasm kernel's gradient (w.r.t. the filter or the input) has the right shape and equals the
 * direct loops, and the cpu backend where it supports the case (it ignores dilations), to 1e-4 relative error.
 */
export async function checkDepthwiseGradient(of: "filter" | "input"): Promise<void> {
  await useWasm();
  for (const [i, g] of DEPTHWISE_CASES.entries()) {
    const x = seeded(g.x.reduce((a, b) => a * b), 10 + i);
    const filter = seeded(g.filter.reduce((a, b) => a * b), 50 + i);
    const { dyShape } = depthwiseReferenceGrads(g, x, filter, new Float32Array(0));
    const dy = seeded(dyShape.reduce((a, b) => a * b), 90 + i);
    const reference = depthwiseReferenceGrads(g, x, filter, dy);
    const geometry = { strides: g.strides, dilations: g.dilations, pad: g.pad };
    const call: KernelCall = of === "filter"
      ? {
        kernel: "DepthwiseConv2dNativeBackpropFilter",
        inputs: { x: [g.x, x], dy: [dyShape, dy] },
        attrs: { ...geometry, filterShape: g.filter },
      }
      : {
        kernel: "DepthwiseConv2dNativeBackpropInput",
        inputs: { dy: [dyShape, dy], filter: [g.filter, filter] },
        attrs: { ...geometry, inputShape: g.x },
      };
    const wasm = await runOn("wasm", call);
    assert.deepEqual(wasm.shape, of === "filter" ? g.filter : g.x, describe(g));
    const expected = of === "filter" ? reference.dFilter : reference.dx;
    assert.ok(relativeError(wasm.values, expected) <= 1e-4, `vs loops: ${describe(g)}`);
    if (g.dilations.every((d) => d === 1)) { // the cpu kernel ignores dilations
      const cpu = await runOn("cpu", call);
      assert.ok(relativeError(wasm.values, cpu.values) <= 1e-4, `vs cpu: ${describe(g)}`);
    }
  }
}
