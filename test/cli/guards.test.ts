// How the CLI tells an internal error (exit 1) apart from bad input: a short message naming it a
// bug of meshsim's and asking for a report, the stack trace only with MESHSIM_DEBUG=1.
import { describe, expect, test } from "vitest";
import { internalErrorMessage, parseCount } from "../../src/cli/guards.ts";

describe("the CLI's guards", () => {
  test("an internal error is one line and a request to report it, without the stack", () => {
    const error = new RangeError("Invalid array length\nsecond line");
    expect(internalErrorMessage(error, false)).toBe(
      "meshsim: internal error: RangeError: Invalid array length\n" +
        "meshsim: this is a bug in meshsim, not in your input: please report it with the command and the scenario file (MESHSIM_DEBUG=1 shows the stack trace)\n",
    );
    expect(internalErrorMessage(error, true)).toContain("\n    at ");
    expect(internalErrorMessage("thrown text", false)).toMatch(
      /^meshsim: internal error: thrown text\n/,
    );
  });

  test("counts are whole numbers written plainly or as 1e9", () => {
    expect(parseCount("5000000")).toBe(5_000_000);
    expect(parseCount("1e9")).toBe(1e9);
    for (const bad of ["0", "-1", "1.5", "1e400", "x"])
      expect(() => parseCount(bad)).toThrow(/whole number/);
  });
});
