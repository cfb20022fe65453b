import assert from "node:assert/strict";
import { markdownTable } from "./markdown_table.ts";

Deno.test("markdownTable aligns numeric columns right and formats decimals", () => {
  const md = markdownTable(["class", "IoU", "n"], [["road", 0.91234, 3], ["car", 0.5, 10]], 2);
  assert.equal(
    md,
    "| class | IoU | n |\n| --- | ---: | ---: |\n| road | 0.91 | 3 |\n| car | 0.50 | 10 |",
  );
});

Deno.test("markdownTable with no rows keeps headers and left alignment", () => {
  assert.equal(markdownTable(["a"], []), "| a |\n| --- |");
});
