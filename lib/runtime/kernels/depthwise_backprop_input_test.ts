// Tests: DepthwiseConv2dNativeBackpropInput on wasm against direct loops and the cpu backend.
import { checkDepthwiseGradient } from "./testing/depthwise_cases.ts";

Deno.test("wasm DepthwiseConv2dNativeBackpropInput matches direct loops and the cpu backend", async () => {
  await checkDepthwiseGradient("input");
});
