// Tests: DepthwiseConv2dNativeBackpropFilter on wasm against direct loops and the cpu backend.
import { checkDepthwiseGradient } from "./testing/depthwise_cases.ts";

Deno.test("wasm DepthwiseConv2dNativeBackpropFilter matches direct loops and the cpu backend", async () => {
  await checkDepthwiseGradient("filter");
});
