// A few hundred mutated shipped scenarios on every `npm test`: each is refused cleanly or runs
// (with a small event cap) and conserves its requests. `npm run fuzz` runs the long campaign.
import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { caseArb, checkCase } from "./campaign.ts";

describe("fuzzing the shipped scenarios", () => {
  const outcomes = { refused: 0, ran: 0, skipped: 0 };
  fcTest.prop([caseArb], { numRuns: 300 })(
    "a mutated scenario is refused with a clean message or runs to its bounds and conserves its requests",
    (c) => {
      outcomes[checkCase(c)]++;
    },
  );
  test("the campaign exercises both refusals and runs", () => {
    // Counted over the property above (vitest runs a file's tests in order).
    expect(outcomes.refused).toBeGreaterThan(0);
    expect(outcomes.ran).toBeGreaterThan(0);
  });
});
