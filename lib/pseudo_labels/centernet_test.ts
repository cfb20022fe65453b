import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { detectFrame, parseDetections } from "./centernet.ts";
import { centernetDir, loadCenternet } from "../model/centernet_package.ts";
import { readRgb } from "../io/image_io.ts";
import { initBackend } from "../runtime/backend.ts";
import { sharedData } from "../testing/shared_data.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const modelDir = centernetDir(`${root}data/cache`);
const kittiFrame = sharedData("kitti-semantics-2015", "image_2", "000000_10.png");

Deno.test("parseDetections keeps mapped COCO classes above the score threshold", () => {
  const rows = [
    [1, 2, 3, 4, 0.9, 2], // car
    [1, 2, 3, 4, 0.9, 9], // traffic light: not a Cityscapes thing
    [1, 2, 3, 4, 0.1, 0], // person below threshold
    [5, 6, 7, 8, 0.3, 7], // truck
  ];
  assert.deepEqual(parseDetections(rows, 0.25), [
    { x1: 1, y1: 2, x2: 3, y2: 4, score: 0.9, trainId: 13 },
    { x1: 5, y1: 6, x2: 7, y2: 8, score: 0.3, trainId: 14 },
  ]);
});

// Runs only where `deno task pseudo-labels` has fetched the detector (it is not needed by CI or training).
Deno.test({
  name: "the cached CenterNet finds the large near car on the right of KITTI frame 000000_10",
  ignore: !existsSync(`${modelDir}/centernet.bin`) || !existsSync(kittiFrame),
  fn: async () => {
    await initBackend();
    const model = await loadCenternet(modelDir);
    const image = await readRgb(kittiFrame);
    const dets = await detectFrame(model, image.data, image.width, image.height, {
      tiles: { scales: [1], overlap: 0.25, wholeFrame: true },
      minScore: 0.25,
      mergeIou: 0.5,
    });
    model.dispose();
    const near = dets.find((d) => d.trainId === 13 && d.x1 > 850 && d.x2 > 1200 && d.y2 > 350);
    assert.ok(near, `no large car box at the right edge among ${dets.length} detections`);
  },
});
