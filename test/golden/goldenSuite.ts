// The golden test of a group of shipped scenarios (see summary.ts): each scenario's summary,
// computed now, against test/golden/<scenario>.json, with vitest's file snapshots (a failure shows
// the diff; `npm run golden:update`, which is `vitest run test/golden --update`, rewrites them).
import { expect, it } from "vitest";
import { goldenOf, goldenPath, goldenText } from "./summary.ts";

/**
 * A hang guard, not a measurement: compare-balancers takes about 15 s of CPU, but over a minute of
 * wall time when other work shares the 2 cores, beyond vitest.config.ts's 60 s default.
 */
const GOLDEN_TIMEOUT_MS = 600_000;

export function goldenSuite(names: readonly string[]): void {
  it.each(names)(
    "%s gives its committed summary",
    async (name) => {
      await expect(
        goldenText(await goldenOf(name)),
        `scenarios/${name}.yaml no longer gives test/golden/${name}.json; if the change is meant, run npm run golden:update and commit the diff`,
      ).toMatchFileSnapshot(goldenPath(name));
    },
    GOLDEN_TIMEOUT_MS,
  );
}
