// The golden test of a group of shipped scenarios (see summary.ts): each scenario's summary,
// computed now, against test/golden/<scenario>.json, with vitest's file snapshots (a failure shows
// the diff; `npm run golden:update`, which is `vitest run test/golden -u`, rewrites them).
import { expect, it } from "vitest";
import { goldenOf, goldenPath, goldenText } from "./summary.ts";

export function goldenSuite(names: readonly string[]): void {
  it.each(names)("%s gives its committed summary", async (name) => {
    await expect(
      goldenText(goldenOf(name)),
      `scenarios/${name}.yaml no longer gives test/golden/${name}.json; if the change is meant, run npm run golden:update and commit the diff`,
    ).toMatchFileSnapshot(goldenPath(name));
  });
}
