// The golden test of a group of shipped scenarios (see summary.ts): each scenario's summary,
// computed now, against test/golden/<scenario>.json, with vitest's file snapshots (a failure shows
// the diff; `npm run golden:update` rewrites them). A missing golden FAILS, naming the file and the
// command: vitest's default would write it and pass, so a branch that forgot to commit one would
// pass CI comparing the scenario with itself. Only UPDATE_GOLDENS=1 (which golden:update sets)
// writes missing ones.
import { existsSync } from "node:fs";
import { expect, it } from "vitest";
import { goldenOf, goldenPath, goldenText } from "./summary.ts";

/**
 * A hang guard, not a measurement: compare-balancers takes about 15 s of CPU, but over a minute of
 * wall time when other work shares the 2 cores, beyond vitest.config.ts's 60 s default.
 */
const GOLDEN_TIMEOUT_MS = 600_000;

/** Whether missing goldens may be written (npm run golden:update sets it). */
export function writingGoldens(): boolean {
  return process.env.UPDATE_GOLDENS === "1";
}

/** Why a scenario's golden is missing and how to make it, or null when it is there (or may be written). */
export function missingGolden(
  name: string,
  exists = existsSync(goldenPath(name)),
  writing = writingGoldens(),
): string | null {
  if (exists || writing) return null;
  return `test/golden/${name}.json is missing: run \`npm run golden:update\` (UPDATE_GOLDENS=1 vitest run test/golden --update), read test/golden/${name}.json and commit it`;
}

export function goldenSuite(names: readonly string[]): void {
  it.each(names)(
    "%s gives its committed summary",
    async (name) => {
      const missing = missingGolden(name);
      if (missing !== null) expect.fail(missing);
      await expect(
        goldenText(await goldenOf(name)),
        `scenarios/${name}.yaml no longer gives test/golden/${name}.json; if the change is meant, run npm run golden:update and commit the diff`,
      ).toMatchFileSnapshot(goldenPath(name));
    },
    GOLDEN_TIMEOUT_MS,
  );
}
