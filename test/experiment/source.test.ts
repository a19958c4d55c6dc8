// A point parsed in a pool worker, where the main thread has checked its paths already, is the same
// scenario as one parsed with the check; the check itself still refuses a path naming nothing.
import { describe, expect, it } from "vitest";
import { parsePoint, readSource } from "../../src/experiment/source.ts";

const source = readSource("scenarios/sweep-payment.yaml");

describe("a point parsed with its paths already checked", () => {
  it("is the same scenario as one parsed with the path check", () => {
    for (const value of [2, 5, 8]) {
      const set = [{ path: ["services", "payment", "instances"], value }];
      expect(parsePoint(source, set, "p", true)).toStrictEqual(parsePoint(source, set, "p"));
    }
  });

  it("is still validated as a scenario of its own", () => {
    const set = [{ path: ["services", "payment", "instances"], value: -1 }];
    expect(() => parsePoint(source, set, "point payment=-1", true)).toThrow(/in point payment=-1/);
  });
});

describe("a point parsed with the path check", () => {
  it("is refused when a path names no service of the file", () => {
    const set = [{ path: ["services", "paymnt", "instances"], value: 4 }];
    expect(() => parsePoint(source, set, "p")).toThrow(/unknown path/);
  });
});
