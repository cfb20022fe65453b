// `deno task setup` (also run by `report` and `test`): links the data, installs Jupyter, the Deno kernel,
// fonts and Chromium when missing, and extracts the pretrained backbone. Idempotent: a second run changes nothing.
import { ensureSetup } from "../setup/setup.ts";
import { parseTaskArgs } from "./args.ts";

const USAGE = `deno task setup [--data-only]
  Links ../shared/data into data/ (or checks data you placed there), installs Jupyter + the Deno kernel + fonts + Chromium
  (apt-get, when root on Debian) and extracts the pretrained MobileNetV2. --data-only skips the system part.`;

const { values } = parseTaskArgs("setup", USAGE, { "data-only": { type: "boolean", default: false } });

const log = (line: string) => console.log(`setup: ${line}`);
try {
  await ensureSetup({ dataOnly: values["data-only"], log });
  log("ready");
} catch (e) {
  console.error(`setup failed: ${e instanceof Error ? e.message : e}`);
  Deno.exit(1);
}
