// The partition rule: run r belongs to shard (r mod N) + 1, so every run has exactly one shard,
// the parts differ in size by at most one, and runs added at the end leave the others in place.
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { parseShard, shardOf } from "../../../src/experiment/scaleout/shard.ts";

describe("the shard of a run", () => {
  test.prop([fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 300 })])(
    "gives every run one shard, and parts within one run of each other in size",
    (runs, count) => {
      const sizes = new Array<number>(count).fill(0);
      for (let r = 0; r < runs; r++) sizes[shardOf(r, count) - 1]++;
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(runs);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    },
  );

  test.prop([
    fc.integer({ min: 1, max: 500 }),
    fc.integer({ min: 1, max: 50 }),
    fc.integer({ min: 1, max: 20 }),
  ])("does not change when a point's runs are added at the end", (points, seeds, count) => {
    const before = Array.from({ length: points * seeds }, (_, r) => shardOf(r, count));
    const after = Array.from({ length: (points + 1) * seeds }, (_, r) => shardOf(r, count));
    expect(after.slice(0, before.length)).toEqual(before);
  });
});

describe("--shard", () => {
  it("reads I/N as 1-based", () => {
    expect(parseShard("1/3", {})).toEqual({ index: 1, count: 3 });
    expect(parseShard("3/3", {})).toEqual({ index: 3, count: 3 });
  });

  it("takes auto/N from a Kubernetes completion index (0-based) or MESHSIM_SHARD (1-based)", () => {
    expect(parseShard("auto/4", { JOB_COMPLETION_INDEX: "0" })).toEqual({ index: 1, count: 4 });
    expect(parseShard("auto/4", { JOB_COMPLETION_INDEX: "3" })).toEqual({ index: 4, count: 4 });
    expect(parseShard("auto/4", { MESHSIM_SHARD: "2" })).toEqual({ index: 2, count: 4 });
    expect(parseShard("auto/4", { JOB_COMPLETION_INDEX: "4" })).toMatch(
      /the shard must be 1\.\.4 \(1-based\), got 5 \(JOB_COMPLETION_INDEX=4, 0-based\)/,
    );
    expect(parseShard("auto/4", {})).toMatch(/needs JOB_COMPLETION_INDEX .* or MESHSIM_SHARD/);
  });

  it.each([
    ["0/3", /the shard must be 1\.\.3 \(1-based\), got 0/],
    ["4/3", /the shard must be 1\.\.3 \(1-based\), got 4/],
    ["1/0", /the shard count must be 1\.\.100000, got 0/],
    ["2", /expected I\/N \(1-based, e.g\. 2\/4\) or auto\/N, got "2"/],
    ["-1/3", /expected I\/N/],
  ])("refuses %s", (text, message) => {
    expect(parseShard(text, {})).toMatch(message);
  });
});
