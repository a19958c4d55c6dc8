import { describe, expect, it } from "vitest";
import { roundSig } from "../../src/result/round.ts";

describe("roundSig", () => {
  it("keeps 6 significant digits by default and passes 0 through", () => {
    expect(roundSig(123.456789)).toBe(123.457);
    expect(roundSig(0.000123456789)).toBe(0.000123457);
    expect(roundSig(987654321)).toBe(987654000);
    expect(roundSig(1.23456, 3)).toBe(1.23);
    expect(roundSig(0)).toBe(0);
  });

  it("passes Infinity and NaN through and rounds negatives by magnitude", () => {
    expect(roundSig(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(roundSig(Number.NaN)).toBeNaN();
    expect(roundSig(-123.456789)).toBe(-123.457);
  });
});
