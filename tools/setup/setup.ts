// What `deno task setup` does (also run first by `deno task report`): links the data, extracts the pretrained
// encoders (MobileNetV2 from nsfwjs; the COCO MobileNetV3 from the CenterNet detector package) and, unless data
// only, installs Jupyter, the Deno kernel, fonts, Chromium and a Vulkan driver when missing. Idempotent.
import { PROJECT_ROOT } from "../../lib/io/project.ts";
import { ensurePretrainedMobileNetV2 } from "../../lib/model/pretrained.ts";
import { ensurePretrainedMobileNetV3Coco } from "../../lib/model/pretrained_coco.ts";
import { ensureDataLink } from "./data_links.ts";
import { DATA_LINKS } from "./datasets.ts";
import { ensureDenoKernel, ensureJupyterAndFonts } from "./system.ts";

export async function ensureSetup(options: { dataOnly: boolean; log: (line: string) => void }): Promise<void> {
  const { log } = options;
  for (const link of DATA_LINKS) {
    const outcome = await ensureDataLink(PROJECT_ROOT, link);
    if (outcome === "linked") log(`linked ${link.target} → ${link.shared}`);
  }
  const pretrained = await ensurePretrainedMobileNetV2();
  if (pretrained.extracted) log(`extracted the pretrained MobileNetV2 into ${pretrained.dir}`);
  const coco = await ensurePretrainedMobileNetV3Coco();
  if (coco.extracted) log(`extracted the COCO MobileNetV3 into ${coco.dir}`);
  if (!options.dataOnly) {
    await ensureJupyterAndFonts(log);
    ensureDenoKernel(log);
  }
}
