// The quick look at scenario text before the YAML parser: nesting past 64 levels and more than
// 50,000 lines plus commas are refused with the line, whatever the style (flow or block).
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { TEXT_LIMITS } from "../../src/scenario/limits.ts";
import { checkTextShape } from "../../src/scenario/textShape.ts";

const root = resolve(import.meta.dirname, "../..");

describe("the shape of scenario text", () => {
  test("every shipped scenario passes", () => {
    for (const file of readdirSync(resolve(root, "scenarios"))) {
      expect(checkTextShape(readFileSync(resolve(root, "scenarios", file), "utf8"))).toBeNull();
    }
  });

  test("a 10^5-deep flow list is refused on its line", () => {
    const problem = checkTextShape(`a: 1\nx: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`);
    expect(problem).toMatchObject({ line: 2, limit: TEXT_LIMITS.depth, found: 100_001 });
  });

  test("deep block maps and block lists are refused at the first line past 64 levels", () => {
    const maps = Array.from({ length: 100 }, (_, i) => `${" ".repeat(i)}a:`).join("\n");
    expect(checkTextShape(maps)).toMatchObject({ line: 65, found: 65 });
    const lists = Array.from({ length: 100 }, (_, i) => `${" ".repeat(2 * i)}- `).join("\n");
    // A `- ` entry counts one more level than its indentation (on the safe side).
    expect(checkTextShape(lists)).toMatchObject({ line: 64, found: 65 });
    expect(checkTextShape(`${"- ".repeat(70)}a`)).toMatchObject({ line: 1, found: 71 });
  });

  test("64 levels pass; brackets in quotes, comments and block scalars do not count", () => {
    expect(checkTextShape(`x: ${"[".repeat(63)}${"]".repeat(63)}`)).toBeNull();
    expect(checkTextShape(`x: "${"[".repeat(100)}" # ${"{".repeat(100)}`)).toBeNull();
    expect(checkTextShape(`x: |\n  ${"[".repeat(100)}\ny: 1`)).toBeNull();
  });

  test("more than 50,000 lines plus commas are refused before parsing", () => {
    expect(checkTextShape(`b: [${"1,".repeat(50_000)}1]`)).toMatchObject({
      line: 1,
      limit: TEXT_LIMITS.items,
      found: 50_001,
    });
    expect(checkTextShape(`b: [${"1,".repeat(49_998)}1]`)).toBeNull();
  });
});
