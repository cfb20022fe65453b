import assert from "node:assert/strict";
import { legendSvg } from "./legend.ts";

Deno.test("legendSvg has one swatch per entry and escapes text", () => {
  const svg = legendSvg([{ colour: [1, 2, 3], label: "a<b" }, { colour: [4, 5, 6], label: "c" }], { title: "T" });
  assert.equal(svg.match(/<rect/g)?.length, 2);
  assert.ok(svg.includes("rgb(1,2,3)") && svg.includes("a&lt;b") && svg.startsWith("<svg"));
});
