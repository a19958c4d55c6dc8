// The HPA's scaling behavior as pure functions (src/control/autoscaler/behavior.ts): stabilization,
// the policies' rate limits, and Kubernetes' strict "newer than now - period" cut-off.
import { describe, expect, it } from "vitest";
import {
  changeInPeriod,
  limitReplicas,
  scaleDownLimit,
  scaleUpLimit,
  stabilize,
} from "../../../src/control/autoscaler/behavior.ts";
import {
  HPA_SCALE_DOWN_POLICIES,
  HPA_SCALE_UP_POLICIES,
  hpaSpec,
} from "../../../src/control/autoscaler/hpaSpec.ts";
import { KUBERNETES_HPA } from "../../../src/scenario/defaults.ts";
import { k8s } from "../../helpers/hpa.ts";

const up = { ...HPA_SCALE_UP_POLICIES, ...KUBERNETES_HPA.scaleUp };
const down = { ...HPA_SCALE_DOWN_POLICIES, ...KUBERNETES_HPA.scaleDown };

describe("HPA stabilization", () => {
  it("holds a scale-down at the highest recommendation strictly newer than now - 300 s", () => {
    const past = [
      { atMs: 0, replicas: 9 },
      { atMs: 100_000, replicas: 6 },
      { atMs: 200_000, replicas: 3 },
    ];
    expect(stabilize(299_999, 8, 2, past, up, down)).toBe(8); // the 9 at t = 0 is inside: min(current 8, 9)
    expect(stabilize(300_000, 8, 2, past, up, down)).toBe(6); // the 9 is exactly 300 s old: out
    expect(stabilize(500_000, 8, 2, past, up, down)).toBe(2);
  });

  it("lets a scale-up through at once with the default 0 s scale-up window", () => {
    expect(stabilize(10_000, 3, 7, [{ atMs: 9_999, replicas: 2 }], up, down)).toBe(7);
  });

  it("holds a scale-up at the lowest recent recommendation when a scale-up window is set", () => {
    const slowUp = { ...up, stabilizationWindowMs: 60_000 };
    expect(stabilize(60_000, 3, 7, [{ atMs: 30_000, replicas: 4 }], slowUp, down)).toBe(4);
  });
});

describe("HPA rate limits", () => {
  it("allows max(+4, +100%) per 15 s by default, counted from the period's start", () => {
    expect(scaleUpLimit(0, 1, [], [], up)).toBe(5);
    expect(scaleUpLimit(0, 10, [], [], up)).toBe(20);
    // 3 pods added 10 s ago: the period started at 7, so at most max(11, 14) = 14.
    expect(scaleUpLimit(10_000, 10, [{ atMs: 0, change: 3 }], [], up)).toBe(14);
    // An event exactly one period old no longer counts.
    expect(scaleUpLimit(15_000, 10, [{ atMs: 0, change: 3 }], [], up)).toBe(20);
  });

  it("takes the smallest change with selectPolicy Min, and none with Disabled", () => {
    expect(scaleUpLimit(0, 10, [], [], { ...up, selectPolicy: "Min" })).toBe(14);
    expect(scaleUpLimit(0, 10, [], [], { ...up, selectPolicy: "Disabled" })).toBe(10);
    expect(scaleDownLimit(0, 10, [], [], { ...down, selectPolicy: "Disabled" })).toBe(10);
  });

  it("removes at most trunc(start x (1 - p%)) or start - pods, the largest change winning by default", () => {
    const docs = {
      ...down,
      policies: [
        { type: "Pods" as const, value: 4, periodMs: 60_000 },
        { type: "Percent" as const, value: 10, periodMs: 60_000 },
      ],
    };
    expect(scaleDownLimit(0, 80, [], [], docs)).toBe(72);
    expect(scaleDownLimit(0, 72, [], [], docs)).toBe(64); // 7.2 pods: 8 removed
    expect(scaleDownLimit(0, 30, [], [], docs)).toBe(26);
    expect(scaleDownLimit(0, 30, [], [], { ...docs, selectPolicy: "Min" })).toBe(27);
    expect(scaleDownLimit(30_000, 72, [], [{ atMs: 0, change: 8 }], docs)).toBe(72); // the period began at 80
  });

  it("sums only events strictly newer than now - period", () => {
    const events = [
      { atMs: 0, change: 1 },
      { atMs: 5_000, change: 2 },
      { atMs: 20_000, change: 4 },
    ];
    expect(changeInPeriod(20_000, 15_000, events)).toBe(4); // the event at 5 s is exactly 15 s old: out
    expect(changeInPeriod(20_000, 20_000, events)).toBe(6);
    expect(changeInPeriod(20_000, 20_001, events)).toBe(7);
  });

  it("names the bound that limited the count", () => {
    const spec = hpaSpec(k8s({ minReplicas: 2, maxReplicas: 30 }));
    expect(limitReplicas(0, 4, 50, [], [], spec)).toEqual({ replicas: 8, reason: "ScaleUpLimit" });
    expect(limitReplicas(0, 20, 50, [], [], spec)).toEqual({
      replicas: 30,
      reason: "TooManyReplicas",
    });
    expect(limitReplicas(0, 4, 1, [], [], spec)).toEqual({ replicas: 2, reason: "TooFewReplicas" });
    expect(limitReplicas(0, 4, 6, [], [], spec)).toEqual({
      replicas: 6,
      reason: "DesiredWithinRange",
    });
  });
});
