// `deno task setup` (also run by `report` and `test`): links the data, installs Jupyter, the Deno kernel,
// fonts and Chromium when missing, and extracts the pretrained encoders (MobileNetV2 from nsfwjs; the COCO MobileNetV3
// from the CenterNet detector package, fetched with `npm pack`). Idempotent: a second run changes nothing.
import { ensureSetup } from "../setup/setup.ts";
import { parseTaskArgs } from "./args.ts";

const USAGE = `deno task setup [--data-only]
  Links ../shared/data into data/ (or checks data you placed there), installs Jupyter + the Deno kernel + fonts + Chromium
  (apt-get, when root on Debian) and extracts the pretrained MobileNetV2 and the COCO MobileNetV3 (npm pack of the
  ≈145 MB detector package into data/cache, once). --data-only skips the system part.`;

const { values } = parseTaskArgs("setup", USAGE, { "data-only": { type: "boolean", default: false } });

const log = (line: string) => console.log(`setup: ${line}`);
try {
  await ensureSetup({ dataOnly: values["data-only"], log });
  log("ready");
} catch (e) {
  console.error(`setup failed: ${e instanceof Error ? e.message : e}`);
  Deno.exit(1);
}
