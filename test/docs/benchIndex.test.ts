// docs/benchmarks.md has a row for every file under bench/ (a folder of data files, such as the
// recorded baselines, by one row for the folder), so a newcomer finds each script's purpose and
// command there. The check is shown to catch a file left out.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
/** Folders named by one row instead of a row per file (their files are data, not scripts). */
const FOLDER_ROWS = ["bench/baselines/"];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
    )
    .map((file) => relative(root, file).split("\\").join("/"))
    .sort();
}

/** The files under bench/ that `page` names neither by their path nor by a folder row. */
function unlisted(files: readonly string[], page: string): string[] {
  return files.filter((file) => {
    const folder = FOLDER_ROWS.find((row) => file.startsWith(row));
    return !page.includes(`\`${folder ?? file}\``);
  });
}

describe("docs/benchmarks.md", () => {
  const page = readFileSync(join(root, "docs/benchmarks.md"), "utf8");
  const files = filesUnder(join(root, "bench"));

  it("names every file under bench/", () => {
    expect(files.length).toBeGreaterThan(30);
    expect(unlisted(files, page)).toEqual([]);
  });

  it("names each folder row that stands for files", () => {
    for (const row of FOLDER_ROWS) {
      expect(files.some((file) => file.startsWith(row))).toBe(true);
      expect(page).toContain(`\`${row}\``);
    }
  });

  it("catches a file left out", () => {
    const without = page.split("`bench/loopDist.mjs`").join("`bench/other.mjs`");
    expect(unlisted(files, without)).toEqual(["bench/loopDist.mjs"]);
    expect(unlisted(["bench/baselines/new.json"], "")).toEqual(["bench/baselines/new.json"]);
  });
});
