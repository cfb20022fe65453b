// Conv2DBackpropInput for the wasm backend, replacing the stock direct loop (10x slower): a 1x1 stride-1 conv's
// input gradient is one XNNPACK matMul; others are a stride-1 conv (conv2d.ts) of zero-stuffed, padded dy with the
// flipped, in/out-transposed filter. NCHW goes to the stock kernel.
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs-core";
import type { Conv2DBackpropInputAttrs } from "@tensorflow/tfjs-core";
import { conv2dOnWasm } from "./conv2d.ts";
import { padForFullCorrelation, zeroStuff } from "./full_correlation.ts";
import { composite, type WasmBackend } from "./wasm_ops.ts";

export function conv2dBackpropInput(
  dy: TensorInfo,
  filter: TensorInfo,
  attrs: Conv2DBackpropInputAttrs,
  backend: WasmBackend,
): TensorInfo {
  const info = backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const [fh, fw, cin, cout] = filter.shape;
  const { top, bottom, left, right } = info.padInfo;
  return composite(backend, (ops) => {
    if (
      fh === 1 && fw === 1 && info.strideHeight === 1 && info.strideWidth === 1 && !(top || bottom || left || right)
    ) {
      const pixels = info.batchSize * info.inHeight * info.inWidth;
      const filterT = ops.transpose(ops.reshape(filter, [cin, cout]), [1, 0]);
      return ops.reshape(ops.matMul(ops.reshape(dy, [pixels, cout]), filterT), attrs.inputShape);
    }
    const dyp = padForFullCorrelation(ops, zeroStuff(ops, dy, info.strideHeight, info.strideWidth), info);
    const flipped = ops.transpose(ops.reverse(filter, [0, 1]), [0, 1, 3, 2]);
    return conv2dOnWasm(ops, dyp, flipped, 1, "valid");
  });
}

/** Our kernel for NHWC, the stock one (passed in) for NCHW. */
export function conv2dBackpropInputConfig(stock: KernelFunc): KernelConfig {
  return {
    kernelName: "Conv2DBackpropInput",
    backendName: "wasm",
    kernelFunc: (args) => {
      const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
      if (attrs.dataFormat === "NCHW") return stock(args);
      return conv2dBackpropInput(
        args.inputs.dy as TensorInfo,
        args.inputs.filter as TensorInfo,
        attrs,
        args.backend as WasmBackend,
      );
    },
  };
}
