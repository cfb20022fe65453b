// Test-only: an untrained Panoptic-DeepLab (no pretrained weights) exported as float16 into `<dir>/model`, as the
// CLI tests' checkpoint; returns that folder.
import { join } from "node:path";
import { buildPanopticDeepLab } from "../../lib/model/panoptic_deeplab.ts";
import { exportFloat16 } from "../../lib/train/float16_export.ts";

export async function exportUntrainedModel(dir: string): Promise<string> {
  const model = await buildPanopticDeepLab({ pretrained: false });
  const out = join(dir, "model");
  await exportFloat16(model, out);
  model.dispose();
  return out;
}
