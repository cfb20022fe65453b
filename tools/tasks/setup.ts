// `deno task setup` (also run by `report` and `test`): links the data, installs Jupyter, the Deno kernel,
// fonts and Chromium when missing, and extracts the pretrained encoders (MobileNetV2 from nsfwjs; the COCO MobileNetV3
// from the CenterNet detector package, fetched with `npm pack`). Idempotent: a second run changes nothing.
import { parseArgs } from "node:util";
import { ensureDataLink } from "../setup/data_links.ts";
import { PROJECT_ROOT } from "../../lib/io/project.ts";
import { DATA_LINKS } from "../setup/datasets.ts";
import { ensureDenoKernel, ensureJupyterAndFonts } from "../setup/system.ts";
import { ensurePretrainedMobileNetV2 } from "../../lib/model/pretrained.ts";
import { ensurePretrainedMobileNetV3Coco } from "../../lib/model/pretrained_coco.ts";

const { values } = parseArgs({
  options: {
    "data-only": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(`deno task setup [--data-only]
  Links ../shared/data into data/ (or checks data you placed there), installs Jupyter + the Deno kernel + fonts + Chromium
  (apt-get, when root on Debian) and extracts the pretrained MobileNetV2 and the COCO MobileNetV3 (npm pack of the
  ≈145 MB detector package into data/cache, once). --data-only skips the system part.`);
  Deno.exit(0);
}

const log = (line: string) => console.log(`setup: ${line}`);
try {
  for (const link of DATA_LINKS) {
    const outcome = await ensureDataLink(PROJECT_ROOT, link);
    if (outcome === "linked") log(`linked ${link.target} → ${link.shared}`);
  }
  const pretrained = await ensurePretrainedMobileNetV2();
  if (pretrained.extracted) log(`extracted the pretrained MobileNetV2 into ${pretrained.dir}`);
  const coco = await ensurePretrainedMobileNetV3Coco();
  if (coco.extracted) log(`extracted the COCO MobileNetV3 into ${coco.dir}`);
  if (!values["data-only"]) {
    await ensureJupyterAndFonts(log);
    ensureDenoKernel(log);
  }
  log("ready");
} catch (e) {
  console.error(`setup failed: ${e instanceof Error ? e.message : e}`);
  Deno.exit(1);
}
