// Properties of the HorizontalPodAutoscaler over random specs and random metric scripts (fast-check
// prints the seed on failure; pass { seed } to test.prop to replay one). The driver applies each
// decision at once and syncs every 15 s.
import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { HorizontalPodAutoscaler } from "../../../src/control/autoscaler/hpa.ts";
import type { HpaDecision } from "../../../src/result/recovery.ts";
import { type HpaTestInput, k8s } from "../../helpers/hpa.ts";

interface Step {
  readonly utilization: number;
  readonly unready: number;
  readonly missing: number;
}

const spec = fc
  .record({
    minReplicas: fc.integer({ min: 1, max: 5 }),
    span: fc.integer({ min: 0, max: 40 }),
    target: fc.integer({ min: 10, max: 150 }),
  })
  .map(
    ({ minReplicas, span, target }): HpaTestInput => ({
      minReplicas,
      maxReplicas: minReplicas + span,
      target: { type: "Utilization", averageUtilization: target },
    }),
  );
const step = fc.record({
  utilization: fc.oneof(
    fc.double({ min: 0, max: 60, noNaN: true }),
    fc.double({ min: 0, max: 600, noNaN: true }),
  ),
  unready: fc.integer({ min: 0, max: 3 }),
  missing: fc.integer({ min: 0, max: 2 }),
});
// Phases of steady load, so that low stretches outlast the 300 s window and scale-downs happen.
const script = fc
  .array(fc.record({ step, syncs: fc.integer({ min: 1, max: 40 }) }), {
    minLength: 1,
    maxLength: 6,
  })
  .map((phases) => phases.flatMap((p) => new Array<Step>(p.syncs).fill(p.step)));

function run(input: HpaTestInput, initial: number, steps: readonly Step[]): HpaDecision[] {
  const hpa = new HorizontalPodAutoscaler(k8s(input));
  let replicas = initial;
  steps.forEach((s, i) => {
    const unready = Math.min(s.unready, replicas);
    const missing = Math.min(s.missing, replicas - unready);
    const ready = replicas - unready - missing;
    replicas = hpa.sync(i * 15_000, {
      currentReplicas: replicas,
      readyPods: ready,
      averageMetric: s.utilization,
      unreadyPods: unready,
      missingPods: missing,
    }).desired;
  });
  return [...hpa.decisions];
}

const initialWithin = (input: HpaTestInput, pick: number) =>
  (input.minReplicas ?? 1) + (pick % (input.maxReplicas - (input.minReplicas ?? 1) + 1));

describe("HPA properties", () => {
  propTest.prop([spec, fc.nat(), script])(
    "never leaves [minReplicas, maxReplicas]",
    (input, pick, steps) => {
      for (const d of run(input, initialWithin(input, pick), steps)) {
        expect(d.desired).toBeGreaterThanOrEqual(input.minReplicas ?? 1);
        expect(d.desired).toBeLessThanOrEqual(input.maxReplicas);
      }
    },
  );

  propTest.prop([spec, fc.nat(), script])(
    "never scales below a recommendation made in the last 300 s",
    (input, pick, steps) => {
      const decisions = run(input, initialWithin(input, pick), steps);
      decisions.forEach((d) => {
        if (d.desired >= d.currentReplicas) return;
        for (const earlier of decisions) {
          if (
            earlier.recommended === null ||
            earlier.atMs > d.atMs ||
            earlier.atMs <= d.atMs - 300_000
          )
            continue;
          expect(earlier.recommended).toBeLessThanOrEqual(d.desired);
        }
      });
    },
  );

  const setAside = fc.record({
    unready: fc.integer({ min: 0, max: 3 }),
    missing: fc.integer({ min: 0, max: 2 }),
  });
  propTest.prop([spec, fc.nat(), fc.array(setAside, { minLength: 1, maxLength: 40 })])(
    "stays put while every ready pod runs exactly at the target, whatever pods are unready or missing",
    (input, pick, steps) => {
      const target = input.target!.type === "Utilization" ? input.target!.averageUtilization : 0;
      const initial = initialWithin(input, pick);
      const decisions = run(
        input,
        initial,
        steps.map((s) => ({ utilization: target, ...s })),
      );
      for (const d of decisions) expect(d.desired).toBe(initial);
    },
  );

  propTest.prop([spec, fc.nat(), script])(
    "adds at most max(4 pods, 100%) per 15 s sync",
    (input, pick, steps) => {
      for (const d of run(input, initialWithin(input, pick), steps)) {
        expect(d.desired).toBeLessThanOrEqual(
          Math.max(d.currentReplicas + 4, 2 * d.currentReplicas),
        );
      }
    },
  );

  propTest.prop([spec, fc.nat(), script])(
    "replays identically: same spec and script, same decisions",
    (input, pick, steps) => {
      const initial = initialWithin(input, pick);
      expect(run(input, initial, steps)).toEqual(run(input, initial, steps));
    },
  );
});
