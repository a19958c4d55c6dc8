// Every shipped scenario is a golden test (../shared/STYLE.md habit 11): its run summary, and its
// compare summary when it has a compare: section, are committed under test/golden/ and diffed here.
// compare-balancers (about a third of the time) has a file of its own so that the two run side by
// side. A missing golden fails. How to (re)generate: docs/testing.md, "Golden outputs".
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { goldenSuite, missingGolden } from "./goldenSuite.ts";
import { GOLDEN_DIR, IN_FILES_OF_THEIR_OWN, shippedScenarios } from "./summary.ts";

describe("the shipped scenarios' golden summaries", () => {
  goldenSuite(shippedScenarios().filter((name) => !IN_FILES_OF_THEIR_OWN.includes(name)));

  // A missing golden fails (unless UPDATE_GOLDENS=1 writes it), naming the file and the command.
  it("fail when a golden is missing, naming the file and the command that writes it", () => {
    const message = missingGolden("no-such-scenario", false, false);
    expect(message).toContain("test/golden/no-such-scenario.json is missing");
    expect(message).toContain("npm run golden:update");
    expect(missingGolden("no-such-scenario", false, true)).toBeNull();
    expect(missingGolden("checkout", true, false)).toBeNull();
  });

  // And the other way: no summary outlives its scenario.
  it("belong to shipped scenarios only", () => {
    const committed = readdirSync(GOLDEN_DIR)
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.slice(0, -".json".length))
      .sort();
    const shipped = shippedScenarios();
    expect(committed.filter((name) => !shipped.includes(name))).toEqual([]);
  });
});
