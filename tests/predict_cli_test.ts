// `deno task predict` end to end on one KITTI frame with a freshly exported model: the four files per image, and
// a clear error for a missing image.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../lib/backend.ts";
import { buildPanopticDeepLab } from "../lib/model/panoptic_deeplab.ts";
import { exportFloat16 } from "../lib/train/float16_export.ts";
import { PROJECT } from "../lib/eval/testing/round_trip.ts";

await initBackend({ force: "wasm", log: () => {} });

async function runPredict(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(PROJECT, "lib", "cli", "predict.ts"), ...args],
    cwd: PROJECT,
    env: { PANOPTIC_BACKEND: "wasm" },
  }).output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout), stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("predict CLI: panoptic, semantic and overlay PNGs and a segments JSON covering the frame", async () => {
  const dir = mkdtempSync(join(tmpdir(), "predict-cli-"));
  try {
    const model = await buildPanopticDeepLab({ pretrained: false });
    await exportFloat16(model, join(dir, "model"));
    model.dispose();
    const image = join(PROJECT, "data", "kitti", "image_2", "000010_10.png");
    const out = join(dir, "out");
    const ok = await runPredict([image, "--checkpoint", join(dir, "model"), "--out", out, "--scale", "0.25"]);
    assert.equal(ok.code, 0, ok.stderr);
    for (const suffix of ["panoptic.png", "semantic.png", "overlay.png", "segments.json"]) {
      assert.ok(existsSync(join(out, `000010_10_${suffix}`)), suffix);
    }
    const record = JSON.parse(readFileSync(join(out, "000010_10_segments.json"), "utf8"));
    const area = record.segments.reduce((s: number, e: { area: number }) => s + e.area, 0);
    assert.equal(area, record.width * record.height);
    const missing = await runPredict([join(dir, "nope.png"), "--checkpoint", join(dir, "model"), "--out", out]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /predict: .*nope\.png: file not found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
