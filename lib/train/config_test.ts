import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { DEFAULT_TRAIN_CONFIG, loadConfig } from "./config.ts";

function file(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), "cfg-")), "c.json");
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

Deno.test("a partial config overrides only what it names", () => {
  const c = loadConfig(
    file({ name: "short", steps: 20, warmupSteps: 5, validation: { everySteps: 10 }, augment: null }),
  );
  assert.equal(c.name, "short");
  assert.equal(c.steps, 20);
  assert.equal(c.validation.everySteps, 10);
  assert.equal(c.validation.scale, DEFAULT_TRAIN_CONFIG.validation.scale);
  assert.equal(c.augment, null);
  assert.deepEqual(c.crop, DEFAULT_TRAIN_CONFIG.crop);
  assert.equal(c.initialWeights, null);
  assert.equal(loadConfig(file({ initialWeights: "runs/final-3" })).initialWeights, "runs/final-3");
});

Deno.test("unknown keys, wrong types and bad values are errors naming the file and the key", () => {
  const bad = file({ validation: { evrySteps: 3 } });
  assert.throws(() => loadConfig(bad), new RegExp(`${bad}: validation has an unknown key "evrySteps"`));
  assert.throws(() => loadConfig(file({ steps: "10" })), /steps must be a number/);
  assert.throws(() => loadConfig(file({ crop: [250, 512] })), /crop 250x512 must be multiples of 16/);
  assert.throws(() => loadConfig(file({ crop: [256] })), /crop must be an array of 2/);
  assert.throws(() => loadConfig(file("{ not json")), /cannot read the config/);
});

Deno.test("typos under model and loss are unknown keys; values out of range are errors naming the file and key", () => {
  const cases: [unknown, RegExp][] = [
    [{ loss: { centreWeight: 0 } }, /loss has an unknown key "centreWeight"/],
    [{ model: { decoderInt: "he" } }, /model has an unknown key "decoderInt"/],
    [{ model: { pretrianed: false } }, /model has an unknown key "pretrianed"/],
    [{ model: { pretrained: "no" } }, /model\.pretrained must be a boolean/],
    [{ model: { decoderInit: "xavier" } }, /model\.decoderInit must be "he" or "glorot"/],
    [{ model: { decoderKernel: 7 } }, /model\.decoderKernel must be 3 or 5/],
    [{ model: { labels: "acdc31" } }, /model\.labels must be one of "cityscapes19", "acdc30"/],
    [{ augment: { classCrop: { probability: 1.5 } } }, /augment\.classCrop\.probability must be in \[0, 1\]/],
    [{ model: { numClasses: 30 } }, /model has an unknown key "numClasses"/],
    [{ model: { encoder: "resnet50" } }, /model\.encoder must be one of "mobilenet_v2", "mobilenet_v3_coco"/],
    [{ model: { asppRates: [3, 0] } }, /model\.asppRates must be positive integers/],
    [{ loss: { centerWeight: -1 } }, /loss\.centerWeight must be ≥ 0/],
    [{ loss: { topKPercent: 0 } }, /loss\.topKPercent must be in \(0, 1\]/],
    [{ loss: { offsetWeight: null } }, /loss\.offsetWeight must not be null/],
    [{ learningRate: 0 }, /learningRate must be > 0/],
    [{ validation: { scale: 0 } }, /validation\.scale must be > 0/],
    [{ validation: { frames: 1.5 } }, /validation\.frames must be an integer ≥ 0/],
    [{ checkpoint: { keep: 0 } }, /checkpoint\.keep must be an integer ≥ 1/],
    [{ checkpoint: { everyMinutes: 0 } }, /checkpoint\.everyMinutes must be > 0/],
    [{ weightDecay: -0.1 }, /weightDecay must be ≥ 0/],
    [{ pipelineWorkers: -1 }, /pipelineWorkers must be an integer ≥ 0/],
    [{ steps: null }, /steps must not be null/],
    [{ initialWeights: 3 }, /initialWeights must be a string or null/],
    [{ initialWeights: "" }, /initialWeights must be a folder or null/],
  ];
  for (const [content, message] of cases) {
    const path = file(content);
    assert.throws(() => loadConfig(path), (e: Error) => e.message.startsWith(`${path}: `) && message.test(e.message));
  }
  const ok = loadConfig(
    file({ model: { decoderInit: "glorot" }, loss: { centerWeight: 0 }, data: { instanceDir: null } }),
  );
  assert.deepEqual([ok.model, ok.loss, ok.data.instanceDir], [
    { ...DEFAULT_TRAIN_CONFIG.model, decoderInit: "glorot" },
    {
      ...DEFAULT_TRAIN_CONFIG.loss,
      centerWeight: 0,
    },
    null,
  ]);
});

Deno.test("every committed config in configs/ loads", () => {
  const dir = new URL("../../configs/", import.meta.url).pathname;
  const names = [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".json")).map((e) => e.name);
  assert.ok(names.includes("default.json"));
  for (const name of names) assert.equal(loadConfig(join(dir, name)).name, name.replace(/\.json$/, ""));
});
