// `deno task train --config configs/<name>.json [--resume] [--max-minutes N] [--workers N] [--threads N]`: headless
// training with a progress bar (step, loss, images/s, ETA); records and checkpoints go to runs/<name>/.
import cliProgress from "cli-progress";
import { initBackend } from "../../lib/runtime/backend.ts";
import { defaultWasmThreads } from "../../lib/runtime/wasm_threads.ts";
import { DEFAULT_RUN_NAME, loadConfig } from "../../lib/train/config.ts";
import { train, type TrainEvent } from "../../lib/train/trainer.ts";
import { parseTaskArgs } from "./args.ts";

const HELP = `deno task train --config configs/<name>.json [options]
  --config FILE       training configuration (JSON over the defaults in lib/train/config.ts);
                      default configs/${DEFAULT_RUN_NAME}.json (the final model's)
  --resume            continue the run from its newest checkpoint (bit for bit)
  --max-minutes N     stop after N minutes with a checkpoint (resume later)
  --workers N         data-parallel training replicas (Deno workers); default 1 = this thread
  --threads N         wasm threads of each replica; default: the cores divided by --workers
  --runs DIR          folder of the runs; default runs
Records: runs/<name>/train.jsonl (every step and validation), checkpoints in runs/<name>/checkpoints/,
the final model (float16) in runs/<name>/model/. Ctrl-C, SIGTERM, SIGHUP or the end of the wrapper that started
it (npx, deno task) save a checkpoint and stop. A folder that holds a run is only continued, with --resume.`;

const args = parseTaskArgs("train", HELP, {
  config: { type: "string", default: `configs/${DEFAULT_RUN_NAME}.json` },
  resume: { type: "boolean", default: false },
  "max-minutes": { type: "string" },
  workers: { type: "string", default: "1" },
  threads: { type: "string" },
  runs: { type: "string", default: "runs" },
});
const { values } = args;
const workers = args.number("workers", "positive-count");
const threads = args.number("threads", "positive-count") ?? Math.max(1, Math.floor(defaultWasmThreads() / workers));
const maxMinutes = args.number("max-minutes", "positive") ?? null;

const config = args.check(() => loadConfig(values.config));

function fail(message: string): never {
  console.error(`train failed: ${message}`);
  Deno.exit(1);
}
// With several replicas this thread only validates, between steps: it keeps every core.
await initBackend(workers > 1 ? {} : { wasmThreads: threads });

const bar = new cliProgress.SingleBar({
  format: "train |{bar}| {value}/{total} steps | loss {loss} | {ips} img/s | ETA {eta_formatted} {note}",
  noTTYOutput: true,
  notTTYSchedule: 15_000,
  etaBuffer: 20,
  hideCursor: true,
}, cliProgress.Presets.shades_classic);

const report = (e: TrainEvent) => {
  switch (e.type) {
    case "start":
      console.log(`training ${config.name} (${config.description}) → ${e.runDir}`);
      if (e.startedFrom) console.log(`starting from the weights of ${e.startedFrom}`);
      bar.start(e.steps, e.step, { loss: "-", ips: "-", note: "" });
      break;
    case "step":
      bar.update(e.step, { loss: Number(e.total).toFixed(3), ips: e.imagesPerSecond.toFixed(2), note: "" });
      break;
    case "validating":
      bar.update({ note: `(validating ${e.done}/${e.total})` });
      break;
    case "validation":
      bar.update({ note: "" });
      bar.stop();
      console.log(
        `step ${e.step}: val mIoU ${e.miou.toFixed(4)}` +
          (e.pq === null ? "" : `, PQ ${e.pq.toFixed(4)}, AP ${e.ap?.toFixed(4)}`) +
          ` (${e.frames} frames, ${e.seconds.toFixed(0)} s)`,
      );
      if (e.step < config.steps) bar.start(config.steps, e.step, { loss: "-", ips: "-", note: "" });
      break;
    case "checkpoint":
      bar.update({ note: `(checkpoint step ${e.step})` });
      break;
  }
};

/** The command that continues this run: --resume and every flag given that shapes it (all but --max-minutes). */
function resumeCommand(): string {
  const quote = (v: string) => /^[\w./:@%+=,-]+$/.test(v) ? v : `'${v.replaceAll("'", `'\\''`)}'`;
  const flags: [string, string | undefined, string | undefined][] = [
    ["config", values.config, undefined],
    ["runs", values.runs, "runs"],
    ["workers", values.workers, "1"],
    ["threads", values.threads, undefined],
  ];
  const given = flags.filter(([, value, fallback]) => value !== undefined && value !== fallback);
  return ["deno task train", ...given.map(([flag, value]) => `--${flag} ${quote(value!)}`), "--resume"].join(" ");
}

try {
  const outcome = await train(config, {
    runsDir: values.runs,
    resume: values.resume,
    maxMinutes,
    workers,
    wasmThreads: threads,
    report,
  });
  bar.stop();
  const why =
    { steps: "finished", time: "stopped at the time limit", signal: "stopped by a signal" }[outcome.stoppedBy];
  console.log(`${why} at step ${outcome.step}; records in ${outcome.runDir}`);
  if (outcome.stoppedBy !== "steps") console.log(`continue with: ${resumeCommand()}`);
} catch (e) {
  bar.stop();
  fail(e instanceof Error ? e.message : String(e));
}
