// Renders the report (fast mode) to HTML as a reader sees it, screenshots its results section with Debian's headless
// Chromium and checks the picture is not blank: enough non-white pixels and some dark, text-like ones.
// Set REPORT_SCREENSHOT=<file.png> to keep the screenshot for a look.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import sharp from "sharp";
import { executeNotebook } from "../tools/report/notebooks.ts";
import { CHROMIUM, run } from "../tools/setup/system.ts";
import { inkShares } from "./testing/chromium.ts";
import { PROJECT_ROOT } from "../lib/io/project.ts";

/** The anchor nbconvert gives the "## Summary of results" heading. */
const SUMMARY_ANCHOR = "Summary-of-results";
/** Screenshot size: the report's first section lies within the first screen at this size. */
const WINDOW = { width: 1280, height: 2000 };

Deno.test("the report's results section renders to a legible, non-blank screenshot", async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run \`deno task setup\` (installs Debian's chromium)`);
  const dir = mkdtempSync(join(tmpdir(), "report-shot-"));
  try {
    const html = await executeNotebook(join(PROJECT_ROOT, "report.ipynb"), {
      outputDir: dir,
      format: "html",
      hideInput: true,
      env: { PANOPTIC_FAST: "1" },
      cellTimeout: 900,
    });
    const page = readFileSync(html, "utf8");
    const section = page.indexOf(`id="${SUMMARY_ANCHOR}"`);
    assert.ok(section >= 0, `${html}: no "${SUMMARY_ANCHOR}" heading`);
    assert.match(page.slice(section), /^[\s\S]*?<table[\s\S]*?<th[^>]*>measure<\/th>/, `${html}: no summary table`);
    // The summary is the first section, so the page's first screen shows it. (Chromium's --screenshot with a
    // #fragment scrolls but paints only from the scroll position down, leaving a blank band above.)
    assert.equal(
      page.indexOf("<h2"),
      page.lastIndexOf("<h2", section),
      `${html}: the summary is not the first section`,
    );

    const shot = join(dir, "summary.png");
    const r = await run(CHROMIUM, [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${mkdtempSync(join(dir, "chromium-"))}`,
      "--hide-scrollbars",
      `--window-size=${WINDOW.width},${WINDOW.height}`,
      `--screenshot=${shot}`,
      `file://${html}`,
    ]);
    assert.ok(existsSync(shot), `chromium wrote no screenshot (exit ${r.code}): ${r.stderr.slice(-800)}`);
    const png = readFileSync(shot);
    const meta = await sharp(png).metadata();
    assert.deepEqual([meta.width, meta.height], [WINDOW.width, WINDOW.height]);
    const { nonWhite, dark } = await inkShares(png);
    assert.ok(nonWhite > 0.02, `screenshot nearly blank: ${(100 * nonWhite).toFixed(2)}% non-white pixels`);
    assert.ok(dark > 0.002, `screenshot shows no text: ${(100 * dark).toFixed(3)}% dark pixels`);
    const keep = Deno.env.get("REPORT_SCREENSHOT");
    if (keep) Deno.writeFileSync(keep, png);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
