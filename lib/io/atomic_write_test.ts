import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic_write.ts";

Deno.test("writeFileAtomic creates folders, replaces content and leaves no temp file", () => {
  const dir = mkdtempSync(join(tmpdir(), "atomic-"));
  try {
    const path = join(dir, "a", "b.json");
    writeFileAtomic(path, "first");
    writeFileAtomic(path, new TextEncoder().encode("second"));
    assert.equal(readFileSync(path, "utf8"), "second");
    assert.deepEqual(readdirSync(join(dir, "a")), ["b.json"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
