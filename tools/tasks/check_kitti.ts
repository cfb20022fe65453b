// `deno run -A tools/tasks/check_kitti.ts [--dir data/kitti] [--instance-dir DIR]`: checks a KITTI-layout folder's
// completeness, reads every frame fully and prints the class pixel histogram; exits 1 on any problem.
import { IGNORE_ID, NUM_TRAIN_CLASSES, TRAIN_CLASS_NAMES } from "../../lib/data/labels/cityscapes_labels.ts";
import { checkKittiFolder, verifyKittiFrames } from "../../lib/data/datasets/kitti.ts";
import { parseTaskArgs } from "./args.ts";

const { values } = parseTaskArgs(
  "check_kitti",
  "deno run -A tools/tasks/check_kitti.ts [--dir data/kitti] [--instance-dir DIR]",
  { dir: { type: "string", default: "data/kitti" }, "instance-dir": { type: "string" } },
);
const start = performance.now();
const problems = await checkKittiFolder(values.dir);
const result = await verifyKittiFrames(values.dir, { instanceDir: values["instance-dir"] });
const total = result.trainIdPixels.reduce((a, b) => a + b, 0);
console.log(`${values.dir}: ${result.frames} frames read in ${((performance.now() - start) / 1000).toFixed(1)} s`);
if (values["instance-dir"]) console.log(`instances: ${result.instances}`);
for (const [t, n] of result.trainIdPixels.entries()) {
  const name = t < NUM_TRAIN_CLASSES ? TRAIN_CLASS_NAMES[t] : `ignore (${IGNORE_ID})`;
  console.log(
    `${String(t < NUM_TRAIN_CLASSES ? t : IGNORE_ID).padStart(3)} ${name.padEnd(14)} ${String(n).padStart(10)} px ${
      (100 * n / total).toFixed(2).padStart(6)
    } %`,
  );
}
for (const p of [...problems, ...result.problems]) console.error(`problem: ${p}`);
Deno.exit(problems.length + result.problems.length ? 1 : 0);
