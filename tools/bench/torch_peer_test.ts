import assert from "node:assert/strict";
import type * as tfl from "@tensorflow/tfjs-layers";
import { initBackend } from "../../lib/runtime/backend.ts";
import { convKind, summarizeModel } from "../../lib/model/summary.ts";
import { buildPanopticDeepLab, DEFAULT_MODEL_CONFIG, ENCODER_NAMES } from "../../lib/model/panoptic_deeplab.ts";
import { describeTorchTwin, torchTwinModel } from "./torch_peer.ts";
import { ignoreWithoutPython, TEST_PYTHON } from "./testing/python_peer.ts";

await initBackend();
const noTorch = await ignoreWithoutPython("torch");

type Layer = tfl.layers.Layer;
/** Every convolution of the tfjs model (the encoder's included), written as tools/bench/torch_peer.py writes its. */
function convolutions(layers: Layer[]): string[] {
  return layers.flatMap((layer): string[] => {
    const nested = (layer as unknown as { layers?: Layer[] }).layers;
    if (nested) return convolutions(nested);
    const kind = convKind(layer);
    if (!kind) return [];
    const config = layer.getConfig() as {
      strides?: number | number[];
      dilationRate?: number | number[];
    };
    const first = (v: number | number[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? 1;
    const [kh, kw, cin] = layer.weights.find((v) => /kernel$/.test(v.originalName))!.shape as number[];
    const [, h, w, cout] = layer.outputShape as number[];
    return [
      `${kind} ${kh}x${kw} stride ${first(config.strides)} dilation ${
        first(config.dilationRate)
      } ${cin}>${cout} ${h}x${w}`,
    ];
  });
}

const sorted = (items: string[]) => [...items].sort();

for (const encoder of ENCODER_NAMES) {
  for (const decoderKernel of [3, 5] as const) {
    Deno.test(
      `the PyTorch twin of Panoptic-DeepLab (${encoder}, decoder kernel ${decoderKernel}) is the tfjs network: ` +
        "parameters and their shapes, every convolution, the heads' shapes, the FLOPs",
      { ignore: noTorch },
      async () => {
        const config = { ...DEFAULT_MODEL_CONFIG, encoder, decoderKernel, pretrained: false };
        const [h, w] = [32, 48];
        const model = await buildPanopticDeepLab(config, [h, w]);
        const summary = summarizeModel(model);
        const shapes = model.trainableWeights.map((v) => (v.shape as number[]).join("x"));
        const convs = convolutions(model.layers);
        model.dispose();
        const twin = await describeTorchTwin(torchTwinModel(config), [2, h, w], TEST_PYTHON);
        assert.equal(twin.trainableParameters, summary.trainableParams);
        assert.deepEqual(sorted(twin.parameterShapes.map((s) => s.join("x"))), sorted(shapes));
        assert.ok(convs.some((c) => c.startsWith(`depthwise ${decoderKernel}x${decoderKernel} `)));
        assert.ok(convs.some((c) => / dilation 6 /.test(c)), "no ASPP convolution at rate 6");
        assert.deepEqual(sorted(twin.convolutions), sorted(convs));
        assert.deepEqual(twin.outputShapes, [[2, h, w, 19], [2, h, w, 1], [2, h, w, 2]]);
        assert.equal(twin.flops, 2 * summary.flops);
      },
    );
  }
}
