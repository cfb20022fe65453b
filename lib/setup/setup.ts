// What `deno task setup` does (also run first by `deno task report`): links the data, extracts the pretrained
// backbone and, unless data only, installs Jupyter, the Deno kernel, fonts and Chromium when missing. Idempotent.
import { ensurePretrainedMobileNetV2 } from "../model/pretrained.ts";
import { ensureDataLink, PROJECT_ROOT } from "./data_links.ts";
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
  if (!options.dataOnly) {
    await ensureJupyterAndFonts(log);
    ensureDenoKernel(log);
  }
}
