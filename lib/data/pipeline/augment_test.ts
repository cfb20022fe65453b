import assert from "node:assert/strict";
import {
  applyAugment,
  type AugmentParams,
  augmentSample,
  drawAugmentParams,
  drawClassPixel,
  flipHorizontal,
  jitterMatrix,
} from "./augment.ts";
import { createRng } from "./random.ts";
import { randomScene, sceneSample } from "../datasets/synthetic.ts";

const IDENTITY: AugmentParams = {
  scale: 1,
  offsetY: 0,
  offsetX: 0,
  flip: false,
  brightness: 1,
  contrast: 1,
  saturation: 1,
  hue: 0,
};
const scene = randomScene("s", 40, 60, 3);
const crop = { cropHeight: 32, cropWidth: 48 };

Deno.test("same seed gives identical output, another seed differs", () => {
  const a = augmentSample(scene, crop, 11), b = augmentSample(scene, crop, 11), c = augmentSample(scene, crop, 12);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.image, c.image);
  assert.equal(a.width, 48);
  assert.equal(a.height, 32);
});

Deno.test("flipping twice is the identity; flip param equals flipHorizontal", () => {
  assert.deepEqual(flipHorizontal(flipHorizontal(scene)), scene);
  assert.notDeepEqual(flipHorizontal(scene).semantic, scene.semantic);
  const same = { cropHeight: 40, cropWidth: 60 };
  assert.deepEqual(applyAugment(scene, { ...IDENTITY, flip: true }, same), flipHorizontal(scene));
});

Deno.test("identity parameters reproduce the input exactly", () => {
  assert.deepEqual(applyAugment(scene, IDENTITY, { cropHeight: 40, cropWidth: 60 }), scene);
});

Deno.test("crop smaller than the scaled frame takes the window at the offset", () => {
  const out = applyAugment(scene, { ...IDENTITY, offsetY: 5, offsetX: 7 }, { cropHeight: 10, cropWidth: 20 });
  for (let y = 0; y < 10; y++) {
    for (let x = 0; x < 20; x++) {
      const i = (y + 5) * 60 + x + 7;
      assert.equal(out.semantic[y * 20 + x], scene.semantic[i]);
      assert.equal(out.instances![y * 20 + x], scene.instances![i]);
      assert.equal(out.image[(y * 20 + x) * 3 + 1], scene.image[i * 3 + 1]);
    }
  }
});

Deno.test("padding: image = pad colour, semantic = 255, instances and crowd = 0", () => {
  // Scale 0.5 turns 40x60 into 20x30, placed at (4, 6) inside a 32x48 crop.
  const out = applyAugment(scene, { ...IDENTITY, scale: 0.5, offsetY: -4, offsetX: -6 }, {
    ...crop,
    padColour: [1, 2, 3],
  });
  let padded = 0;
  for (let y = 0; y < 32; y++) {
    for (let x = 0; x < 48; x++) {
      const o = y * 48 + x;
      const inside = y >= 4 && y < 24 && x >= 6 && x < 36;
      if (inside) {
        assert.notEqual(out.semantic[o], 255);
        continue;
      }
      padded++;
      assert.deepEqual([...out.image.subarray(o * 3, o * 3 + 3)], [1, 2, 3]);
      assert.equal(out.semantic[o], 255);
      assert.equal(out.instances![o], 0);
      assert.equal(out.crowd![o], 0);
    }
  }
  assert.equal(padded, 32 * 48 - 20 * 30);
});

Deno.test("default pad colour is the image's mean colour", () => {
  const flat = sceneSample("flat", 4, 4, [{ y: 0, x: 0, height: 2, width: 4, trainId: 13 }]);
  const out = applyAugment(flat, { ...IDENTITY, offsetY: -2 }, { cropHeight: 8, cropWidth: 4 });
  for (let c = 0; c < 3; c++) {
    const mean = (flat.image[c] * 8 + flat.image[8 * 3 + c] * 8) / 16;
    assert.equal(out.image[c], Math.round(mean));
  }
});

Deno.test("scale 2 uses nearest labels: output (2y+1, 2x+1) equals input (y, x)", () => {
  const out = applyAugment(scene, { ...IDENTITY, scale: 2 }, { cropHeight: 80, cropWidth: 120 });
  for (let y = 0; y < 40; y++) {
    for (let x = 0; x < 60; x++) {
      assert.equal(out.semantic[(2 * y + 1) * 120 + 2 * x + 1], scene.semantic[y * 60 + x]);
      assert.equal(out.semantic[(2 * y) * 120 + 2 * x], scene.semantic[y * 60 + x]);
    }
  }
});

Deno.test("labels only take input values (plus pad) and instances keep their class and crowd stays instance-free", () => {
  const classOf = new Map<number, number>();
  scene.instances!.forEach((id, i) => id > 0 && classOf.set(id, scene.semantic[i]));
  const semanticValues = new Set([...scene.semantic, 255]);
  for (let seed = 0; seed < 20; seed++) {
    const out = augmentSample(scene, crop, seed);
    for (let i = 0; i < out.semantic.length; i++) {
      assert.ok(semanticValues.has(out.semantic[i]), `semantic value ${out.semantic[i]}`);
      const id = out.instances![i];
      if (id > 0) assert.equal(out.semantic[i], classOf.get(id));
      if (out.crowd![i]) assert.equal(id, 0);
    }
  }
});

Deno.test("scales come from the 0.5..2.0 step-0.1 grid and all 16 occur", () => {
  const rng = createRng(5);
  const seen = new Set<number>();
  for (let i = 0; i < 500; i++) seen.add(drawAugmentParams(40, 60, crop, rng).scale);
  assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 16 }, (_, k) => (5 + k) / 10));
});

Deno.test("offsets cover crop placements inside the scaled frame and pad placements outside it", () => {
  const rng = createRng(9);
  for (let i = 0; i < 200; i++) {
    const p = drawAugmentParams(40, 60, crop, rng);
    const h = Math.round(40 * p.scale), w = Math.round(60 * p.scale);
    assert.ok(p.offsetY >= Math.min(0, h - 32) && p.offsetY <= Math.max(0, h - 32));
    assert.ok(p.offsetX >= Math.min(0, w - 48) && p.offsetX <= Math.max(0, w - 48));
  }
});

Deno.test("jitter: identity matrix for neutral factors, brightness scales, hue keeps grey grey", () => {
  const id = jitterMatrix(IDENTITY, 100);
  id.m.forEach((v, k) => assert.ok(Math.abs(v - (k % 4 === 0 ? 1 : 0)) < 1e-12));
  assert.equal(id.t, 0);
  const bright = applyAugment(scene, { ...IDENTITY, brightness: 1.1 }, { cropHeight: 40, cropWidth: 60 });
  for (let i = 0; i < 300; i++) {
    const expected = Math.min(255, scene.image[i] * 1.1);
    assert.ok(Math.abs(bright.image[i] - expected) <= 0.5, `pixel ${i}: ${bright.image[i]} vs ${expected}`);
  }
  const hue = jitterMatrix({ ...IDENTITY, hue: 0.2, saturation: 0.7 }, 0);
  for (let r = 0; r < 3; r++) assert.ok(Math.abs(hue.m[r * 3] + hue.m[r * 3 + 1] + hue.m[r * 3 + 2] - 1) < 1e-12);
  assert.ok(Math.abs(hue.m[0] - 1) > 0.05, "hue rotation changes colours");
});

Deno.test("class crops: every crop holds a pixel of the one weighted class; without class crops the draws are unchanged", () => {
  // A 5x7 pole box (trainId 5) in a 120x400 road frame; only class 5 has a weight.
  const frame = sceneSample("rare", 120, 400, [{ y: 60, x: 300, height: 5, width: 7, trainId: 5, instance: false }]);
  const weights = Array.from({ length: 19 }, (_, c) => (c === 5 ? 1 : 0));
  const options = { cropHeight: 32, cropWidth: 48, classCrop: { probability: 1, classWeights: weights } };
  for (let seed = 0; seed < 40; seed++) {
    const out = augmentSample(frame, options, seed);
    assert.ok(out.semantic.includes(5), `seed ${seed}: the crop misses the pole`);
  }
  const uniform = Array.from({ length: 40 }, (_, seed) => augmentSample(frame, crop, seed).semantic.includes(5));
  assert.ok(uniform.filter(Boolean).length < 20, "uniform crops find the pole less often");
  for (let seed = 0; seed < 10; seed++) {
    const off = { ...crop, classCrop: { probability: 0, classWeights: weights } };
    assert.deepEqual(
      drawAugmentParams(120, 400, off, createRng(seed), frame.semantic),
      drawAugmentParams(120, 400, crop, createRng(seed)),
    );
  }
});

Deno.test("drawClassPixel draws present classes by weight, never absent or zero-weight ones", () => {
  const semantic = Uint8Array.from([0, 0, 0, 0, 1, 1, 2, 255]);
  const rng = createRng(1);
  const drawn = new Map<number, number>();
  for (let k = 0; k < 3000; k++) {
    const [y, x] = drawClassPixel(rng, semantic, 4, [0, 1, 3, 5])!;
    const c = semantic[y * 4 + x];
    drawn.set(c, (drawn.get(c) ?? 0) + 1);
  }
  assert.equal(drawn.get(0), undefined, "weight 0");
  assert.ok(Math.abs(drawn.get(2)! / drawn.get(1)! - 3) < 0.4, `class 2 : class 1 = ${drawn.get(2)! / drawn.get(1)!}`);
  assert.equal(drawClassPixel(rng, Uint8Array.from([1, 2]), 2, [1, 0, 0]), null);
});
