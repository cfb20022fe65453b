import assert from "node:assert/strict";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { type DataLink, ensureDataLink } from "./data_links.ts";

/** A project folder beside a shared folder; the check accepts a folder holding a file "ok". */
function layout(withShared: boolean) {
  const top = mkdtempSync(join(tmpdir(), "links-"));
  const root = join(top, "main");
  mkdirSync(root);
  if (withShared) mkdirSync(join(top, "shared", "data", "set", "ok"), { recursive: true });
  const link: DataLink = {
    name: "Test set",
    target: "data/set",
    shared: "../shared/data/set",
    download: "Download it from EXAMPLE.",
    check: (dir) => Promise.resolve(existsSync(join(dir, "ok")) ? [] : ["ok is missing"]),
  };
  return { top, root, link };
}

Deno.test("links the shared folder once; a second run changes nothing", async () => {
  const { root, link } = layout(true);
  assert.equal(await ensureDataLink(root, link), "linked");
  const target = join(root, "data", "set");
  assert.equal(readlinkSync(target), "../../shared/data/set");
  const before = lstatSync(target).mtimeMs;
  assert.equal(await ensureDataLink(root, link), "present");
  assert.equal(lstatSync(target).mtimeMs, before);
});

Deno.test("without the shared folder it fails naming the folder and the download source", async () => {
  const { top, root, link } = layout(false);
  await assert.rejects(
    ensureDataLink(root, link),
    (e: Error) =>
      e.message.includes(join(top, "shared", "data", "set")) && e.message.includes("Download it from EXAMPLE."),
  );
  assert.equal(existsSync(join(root, "data", "set")), false);
});

Deno.test("an incomplete folder is reported with its problems and left untouched", async () => {
  const { root, link } = layout(false);
  mkdirSync(join(root, "data", "set"), { recursive: true });
  await assert.rejects(ensureDataLink(root, link), /data\/set is incomplete:\n {2}- ok is missing/);
  assert.equal(lstatSync(join(root, "data", "set")).isDirectory(), true);
});

Deno.test("a dangling link is reported, not replaced", async () => {
  const { root, link } = layout(true);
  mkdirSync(join(root, "data"));
  symlinkSync("../nowhere", join(root, "data", "set"));
  await assert.rejects(ensureDataLink(root, link), /data\/set is a link to a missing folder \(\.\.\/nowhere\)/);
  assert.equal(readlinkSync(join(root, "data", "set")), "../nowhere");
});
