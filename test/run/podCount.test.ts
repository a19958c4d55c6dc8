import { describe, expect, it } from "vitest";
import { podCount } from "../../src/run/podCount.ts";

describe("podCount", () => {
  it("gives a constant count for pods that serve all along", () => {
    expect(podCount([[], [], []], [100, 100, 100], 0, 100)).toEqual({ min: 3, mean: 3, max: 3 });
  });

  it("counts a standby slot parked at 0 as no pod, and a pod from when it becomes ready", () => {
    // pod 0 all along; pod 1 parked at 0, ready at 40 ms, terminated at 80 ms.
    expect(podCount([[], [0, 40, 80]], [100, 40], 0, 100)).toEqual({ min: 1, mean: 1.4, max: 2 });
  });

  it("leaves the warm-up out of the min and max", () => {
    expect(podCount([[], [0, 10, 20]], [50, 0], 50, 100)).toEqual({ min: 1, mean: 1, max: 1 });
  });
});
