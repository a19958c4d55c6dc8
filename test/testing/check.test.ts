// check() as a CI test sees it: a failing property throws with the violation, the shrunk case, and
// the seed and path that replay exactly that case; a passing one returns. Sources: overrides are
// validated like the file, with file:line:column and the field path.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/scenario/errors.ts";
import { assertNoViolation, check } from "../../src/testing/check.ts";
import type { Invariant } from "../../src/testing/invariant.ts";
import { fromFile } from "../../src/testing/source.ts";

const tiny = fromFile("scenarios/fragile-checkout.yaml").with("duration", "3s");

/** Breaks whenever the run's seed is odd: a planted bug only some cases reach. */
const evenSeedsOnly: Invariant = {
  name: "even-seeds-only",
  watch: () => ({
    end: (result) => (result.seed % 2 === 1 ? { message: `seed ${result.seed} is odd` } : null),
  }),
};

const property = fc.property(fc.integer({ min: 0, max: 1000 }), (seed) => {
  assertNoViolation(tiny.scenario(), { seed, invariants: [evenSeedsOnly], probes: [] });
});

describe("check()", () => {
  it("throws with the violation, the shrunk counterexample and how to replay it", () => {
    let message = "";
    try {
      check(property, { seeds: 20, seed: 7 });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^property failed after \d+ case\(s\), shrunk \d+ time\(s\)\n/);
    const odd = /invariant even-seeds-only broken at 3000\.000 ms: seed (\d+) is odd/.exec(message);
    expect(Number(odd?.[1]) % 2).toBe(1);
    expect(message).toContain(`counterexample: [${odd?.[1]}]`);
    const replay = /replay: check\(property, \{ seed: (-?\d+), path: "([\d:]+)" \}\)/.exec(message);
    expect(replay).not.toBeNull();
    // The printed seed and path replay the shrunk case alone.
    expect(() =>
      check(property, { seeds: 1, seed: Number(replay?.[1]), path: replay?.[2] }),
    ).toThrow(`counterexample: [${odd?.[1]}]`);
  });

  it("returns when every case holds, and refuses zero seeds", () => {
    const holds = fc.property(fc.integer({ min: 0, max: 500 }), (n) => {
      assertNoViolation(tiny.scenario(), { seed: n * 2, invariants: [evenSeedsOnly], probes: [] });
    });
    expect(() => check(holds, { seeds: 5, seed: 1 })).not.toThrow();
    expect(() => check(holds, { seeds: 0 })).toThrow(/seeds must be a whole number >= 1/);
  });
});

describe("a scenario source with overrides", () => {
  it("reports a bad override like a bad file, with its place and field path", () => {
    const bad = fromFile("scenarios/fragile-checkout.yaml").with("load[0].rate", -5);
    let error: unknown = null;
    try {
      bad.scenario();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).message).toMatch(
      /^scenarios\/fragile-checkout\.yaml:\d+:\d+: load\[0\]\.rate: expected .*found number -5/m,
    );
  });

  it("writes the file with the overrides applied and its comments kept", () => {
    const text = tiny.with({ seed: 99, invariants: ["conservation"] }).text();
    expect(text).toMatch(/^# A checkout that one pod kill breaks/);
    expect(text).toMatch(/\nseed: 99\n/);
    expect(text).toMatch(/\nduration: 3s\n/);
    expect(text).toMatch(/\ninvariants:\n {2}- conservation\n/);
  });

  it("refuses a path that is not one", () => {
    expect(() => tiny.with("load..rate", 1)).toThrow(/not a path into a scenario: "load\.\.rate"/);
  });
});
