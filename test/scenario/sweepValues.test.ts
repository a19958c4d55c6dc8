import { describe, expect, it } from "vitest";
import { parseSweepValues, sweepValuesOf } from "../../src/scenario/sweepValues.ts";

describe("sweep values", () => {
  it("reads lists item by item as YAML scalars", () => {
    expect(parseSweepValues("2,4,8")).toEqual([2, 4, 8]);
    expect(parseSweepValues("round-robin, least-request")).toEqual([
      "round-robin",
      "least-request",
    ]);
    expect(parseSweepValues("0.5,true,10ms")).toEqual([0.5, true, "10ms"]);
    expect(parseSweepValues("7")).toEqual([7]);
  });

  it("reads arithmetic ranges with both ends included, without float dust", () => {
    expect(parseSweepValues("2..8")).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(parseSweepValues("2..12:2")).toEqual([2, 4, 6, 8, 10, 12]);
    expect(parseSweepValues("2..11:3")).toEqual([2, 5, 8, 11]);
    expect(parseSweepValues("0.1..0.5:0.1")).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(parseSweepValues("5..5")).toEqual([5]);
  });

  it("reads geometric ranges for rates", () => {
    expect(parseSweepValues("100..3200*2")).toEqual([100, 200, 400, 800, 1600, 3200]);
    expect(parseSweepValues("1..100*10")).toEqual([1, 10, 100]);
    expect(parseSweepValues("0.5..2*2")).toEqual([0.5, 1, 2]);
  });

  it("rejects a range with no values, a bad step and a malformed range, saying what is wrong", () => {
    expect(() => parseSweepValues("12..2")).toThrow(
      /12\.\.2 has no values: its end is below its start/,
    );
    expect(() => parseSweepValues("2..12:0")).toThrow(/step of 2\.\.12:0 must be > 0/);
    expect(() => parseSweepValues("100..10*2")).toThrow(/has no values/);
    expect(() => parseSweepValues("1..8*1")).toThrow(/factor .* must be > 1/);
    expect(() => parseSweepValues("0..8*2")).toThrow(/starts above 0/);
    expect(() => parseSweepValues("a..b")).toThrow(/expected a list \(2,4,8\), a range/);
    expect(() => parseSweepValues("2,,4")).toThrow(/comma-separated list/);
    expect(() => parseSweepValues("1..1000000")).toThrow(/at most 10000 per path/);
  });

  it("takes a file's list as it is and its text through the same grammar", () => {
    expect(sweepValuesOf([1, "a"])).toEqual([1, "a"]);
    expect(sweepValuesOf("2..4")).toEqual([2, 3, 4]);
    expect(sweepValuesOf(3)).toEqual([3]);
    expect(() => sweepValuesOf([])).toThrow(/no values/);
  });
});
