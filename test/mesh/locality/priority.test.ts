// Envoy priority levels, degraded hosts and the panic threshold (src/mesh/locality/priority.ts),
// checked against the tables of Envoy's docs (priority.rst, panic_threshold.rst, degraded.rst) and the
// example in load_balancer_impl.cc. A "71%" row is 71 healthy hosts out of 100. Where a table disagrees
// with Envoy's own integer arithmetic the test asserts the code's answer and says why.
// fast-check prints its seed on failure; pass { seed } to test.prop to replay one.
import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  availabilityScore,
  choosePriority,
  ENVOY_OVERPROVISIONING_FACTOR,
  type PriorityConfig,
  type PriorityLevelHosts,
  priorityConfig,
  priorityLoad,
} from "../../../src/mesh/locality/priority.ts";
import { ENVOY_HEALTHY_PANIC_THRESHOLD } from "../../../src/scenario/defaults.ts";

/** Envoy's defaults: overprovisioning 1.4, panic below 50% healthy, a panicking level still served. */
const ENVOY_PRIORITY: PriorityConfig = {
  overprovisioningPercent: ENVOY_OVERPROVISIONING_FACTOR,
  panicThresholdPercent: ENVOY_HEALTHY_PANIC_THRESHOLD,
  failTrafficOnPanic: false,
};

const pct = (healthy: number, degraded = 0): PriorityLevelHosts => ({
  healthy,
  degraded,
  total: 100,
});
const noPanic = priorityConfig({ ...ENVOY_PRIORITY, panicThresholdPercent: 0 });
const loads = (levels: PriorityLevelHosts[], config = priorityConfig(ENVOY_PRIORITY)) =>
  priorityLoad(levels, config).healthyLoad;

describe("Envoy priority load (priority.rst, P1 100% healthy)", () => {
  it.each([
    [100, [100, 0]],
    [72, [100, 0]],
    [71, [99, 1]],
    [50, [70, 30]],
    [25, [35, 65]],
    [0, [0, 100]],
  ])("P0 %i percent healthy sends %j to P0/P1", (p0, expected) => {
    expect(loads([pct(p0), pct(100)])).toEqual(expected);
    expect(loads([pct(p0), pct(100)], noPanic)).toEqual(expected);
  });

  it("keeps all traffic on P0 until fewer than 1/1.4 = 71.4% of its hosts are healthy", () => {
    expect(availabilityScore(5, 7, 140)).toBe(100); // 71.43% x 1.4 = 100
    expect(availabilityScore(714, 1000, 140)).toBe(99); // 71.4% x 1.4 = 99.96, floored
    expect(loads([{ healthy: 5, total: 7 }, pct(100)])).toEqual([100, 0]);
  });
});

describe("Envoy priority load with both levels degrading (priority.rst; the default panic threshold agrees)", () => {
  it.each([
    [100, 100, [100, 0]],
    [72, 72, [100, 0]],
    [71, 71, [99, 1]],
    [50, 50, [70, 30]],
    [25, 100, [35, 65]],
    [25, 25, [50, 50]],
  ])("P0 %i percent, P1 %i percent healthy sends %j", (p0, p1, expected) => {
    expect(loads([pct(p0), pct(p1)], noPanic)).toEqual(expected);
    // 25/25 is then a total panic, split by the equal host counts: 50/50 again.
    expect(loads([pct(p0), pct(p1)])).toEqual(expected);
  });

  it("normalizes health {35, 35} (sum 70) to loads {50, 50}", () => {
    const load = priorityLoad([pct(25), pct(25)], noPanic);
    expect(load.health).toEqual([35, 35]);
    expect(load.normalizedTotalAvailability).toBe(70);
  });
});

describe("Envoy priority load with three levels (priority.rst, panic off)", () => {
  it.each([
    [100, 100, 100, [100, 0, 0]],
    [72, 72, 100, [100, 0, 0]],
    [71, 71, 100, [99, 1, 0]],
    [50, 50, 100, [70, 30, 0]],
    [25, 100, 100, [35, 65, 0]],
    [25, 25, 100, [35, 35, 30]],
  ])("P0 %i percent, P1 %i percent, P2 %i percent healthy sends %j", (p0, p1, p2, expected) => {
    expect(loads([pct(p0), pct(p1), pct(p2)], noPanic)).toEqual(expected);
  });

  it("gives 25/25/20 the loads 37/35/28: the doc's 36/36/28 rounds, Envoy floors and hands the rest to P0", () => {
    // health 35, 35, 28; normalized 98; floor(3500/98) = 35, 35, floor(2800/98) = 28; rest 2 goes to P0.
    const load = priorityLoad([pct(25), pct(25), pct(20)], noPanic);
    expect(load.health).toEqual([35, 35, 28]);
    expect(load.healthyLoad).toEqual([37, 35, 28]);
    const doc = [36, 36, 28];
    load.healthyLoad.forEach((l, i) => {
      expect(Math.abs(l - doc[i])).toBeLessThanOrEqual(1);
    });
  });

  it("with the default 50% panic threshold the same 25/25/20 is a total panic, split by host count", () => {
    const load = priorityLoad([pct(25), pct(25), pct(20)], ENVOY_PRIORITY);
    expect(load.panic).toEqual([true, true, true]);
    expect(load.totalPanic).toBe(true);
    expect(load.healthyLoad).toEqual([34, 33, 33]);
  });
});

describe("Envoy panic threshold (panic_threshold.rst, default 50%)", () => {
  it.each([
    [72, [100, 0]],
    [71, [99, 1]],
    [50, [70, 30]],
    [25, [35, 65]],
    [0, [0, 100]],
  ])("never panics while P1 is 100 percent healthy: P0 %i percent sends %j", (p0, expected) => {
    const load = priorityLoad([pct(p0), pct(100)], ENVOY_PRIORITY);
    expect(load.healthyLoad).toEqual(expected);
    expect(load.panic).toEqual([false, false]);
    expect(load.normalizedTotalAvailability).toBe(100);
    expect(load.hostSource).toEqual(["available", "available"]);
  });

  it.each([
    [72, 72, [100, 0], [false, false], 100],
    [71, 71, [99, 1], [false, false], 100],
    [25, 25, [50, 50], [true, true], 70],
  ])(
    "P0 %i percent, P1 %i percent healthy: loads %j, panic %j, normalized total %i (table rows that match)",
    (p0, p1, l, panic, norm) => {
      const load = priorityLoad([pct(p0), pct(p1)], ENVOY_PRIORITY);
      expect(load.healthyLoad).toEqual(l);
      expect(load.panic).toEqual(panic);
      expect(load.normalizedTotalAvailability).toBe(norm);
    },
  );

  it("5%/65%: P0 panics, P1 does not, normalized 98 as the doc says; the loads are 8/92 where the doc shows 7/93", () => {
    // health 7 and 91; floor(700/98) = 7, floor(9100/98) = 92, and Envoy hands the rest 1 to P0.
    const load = priorityLoad([pct(5), pct(65)], ENVOY_PRIORITY);
    expect(load.panic).toEqual([true, false]);
    expect(load.totalPanic).toBe(false);
    expect(load.normalizedTotalAvailability).toBe(98);
    expect(load.healthyLoad).toEqual([8, 92]);
    expect(load.hostSource).toEqual(["all", "available"]);
  });

  it("50%/60% and 25%/100% give 70/30 and 35/65: the doc's 50/50 and 25/75 leave out the 1.4 factor its own priority table uses", () => {
    expect(priorityLoad([pct(50), pct(60)], ENVOY_PRIORITY).healthyLoad).toEqual([70, 30]);
    expect(priorityLoad([pct(25), pct(100)], ENVOY_PRIORITY).healthyLoad).toEqual([35, 65]);
    expect(
      priorityLoad(
        [pct(50), pct(60)],
        priorityConfig({ ...ENVOY_PRIORITY, overprovisioningPercent: 100 }),
      ).healthyLoad,
    ).toEqual([50, 50]);
    expect(
      priorityLoad(
        [pct(25), pct(100)],
        priorityConfig({ ...ENVOY_PRIORITY, overprovisioningPercent: 100 }),
      ).healthyLoad,
    ).toEqual([25, 75]);
  });

  it("with every host down and panic on, the levels split the traffic by host count and use all hosts", () => {
    const load = priorityLoad(
      [
        { healthy: 0, total: 3 },
        { healthy: 0, total: 1 },
      ],
      ENVOY_PRIORITY,
    );
    expect(load.normalizedTotalAvailability).toBe(0);
    expect(load.totalPanic).toBe(true);
    expect(load.healthyLoad).toEqual([75, 25]);
    expect(load.hostSource).toEqual(["all", "all"]);
    expect(load.noHealthyUpstream).toBe(false);
  });

  it("with every host down and panic disabled (0%), nothing panics and no host can be picked: 503 no healthy upstream", () => {
    const load = priorityLoad(
      [
        { healthy: 0, total: 3 },
        { healthy: 0, total: 1 },
      ],
      noPanic,
    );
    expect(load.panic).toEqual([false, false]);
    expect(load.healthyLoad).toEqual([100, 0]);
    expect(load.noHealthyUpstream).toBe(true);
    expect(load.hostSource).toEqual(["none", "none"]);
  });

  it("with fail_traffic_on_panic a panicking level fails its share instead of using unhealthy hosts", () => {
    const load = priorityLoad(
      [pct(5), pct(65)],
      priorityConfig({ ...ENVOY_PRIORITY, failTrafficOnPanic: true }),
    );
    expect(load.hostSource).toEqual(["none", "available"]);
  });

  it("a single level below the threshold is a total panic that keeps all its traffic", () => {
    const load = priorityLoad([{ healthy: 1, total: 10 }], ENVOY_PRIORITY);
    expect(load.panic).toEqual([true]);
    expect(load.healthyLoad).toEqual([100]);
  });
});

describe("Envoy degraded hosts (degraded.rst, one level: healthy/degraded/unhealthy)", () => {
  it.each([
    [100, 0, [100], [0]],
    [71, 0, [100], [0]],
    [71, 29, [99], [1]],
    [25, 65, [35], [65]],
    [5, 0, [100], [0]],
  ])(
    "%i percent/%i percent sends %j to healthy and %j to degraded hosts",
    (h, d, healthy, degraded) => {
      const load = priorityLoad([pct(h, d)], ENVOY_PRIORITY);
      expect(load.healthyLoad).toEqual(healthy);
      expect(load.degradedLoad).toEqual(degraded);
    },
  );

  it("health 10/20/10 and degraded 20/10/0 give 16/28/14 healthy and 28/14/0 degraded (load_balancer_impl.cc, panic off)", () => {
    const load = priorityLoad(
      [
        { healthy: 50, degraded: 100, total: 700 }, // 140 x 50 / 700 = 10, 140 x 100 / 700 = 20
        { healthy: 100, degraded: 50, total: 700 },
        { healthy: 50, degraded: 0, total: 700 },
      ],
      noPanic,
    );
    expect(load.health).toEqual([10, 20, 10]);
    expect(load.degraded).toEqual([20, 10, 0]);
    expect(load.healthyLoad).toEqual([16, 28, 14]);
    expect(load.degradedLoad).toEqual([28, 14, 0]);
  });
});

describe("choosePriority (Envoy: bucket = hash % 100 + 1 over the cumulative loads)", () => {
  it("maps buckets 1-70 to P0 and 71-100 to P1 at 70/30", () => {
    const load = priorityLoad([pct(50), pct(100)], ENVOY_PRIORITY);
    expect(choosePriority(load, 0)).toEqual({ priority: 0, availability: "healthy" });
    expect(choosePriority(load, 69)).toEqual({ priority: 0, availability: "healthy" });
    expect(choosePriority(load, 70)).toEqual({ priority: 1, availability: "healthy" });
    expect(choosePriority(load, 199)).toEqual({ priority: 1, availability: "healthy" });
  });

  it("reaches degraded hosts only after every healthy share", () => {
    const load = priorityLoad([pct(25, 65)], ENVOY_PRIORITY);
    expect(choosePriority(load, 34)).toEqual({ priority: 0, availability: "healthy" });
    expect(choosePriority(load, 35)).toEqual({ priority: 0, availability: "degraded" });
  });

  it("gives each level exactly its load over any 100 consecutive hashes", () => {
    const load = priorityLoad([pct(25), pct(25), pct(100)], noPanic);
    const counts = [0, 0, 0];
    for (let h = 1000; h < 1100; h++) counts[choosePriority(load, h).priority]++;
    expect(counts).toEqual(load.healthyLoad);
  });
});

describe("priority input checks", () => {
  it("refuses impossible levels and configs, naming the field", () => {
    expect(() => priorityLoad([], ENVOY_PRIORITY)).toThrow(/P0 is required/);
    expect(() => priorityLoad([{ healthy: 3, total: 2 }], ENVOY_PRIORITY)).toThrow(
      /P0: healthy \(3\) \+ degraded \(0\) exceeds total \(2\)/,
    );
    expect(() => priorityLoad([pct(1), { healthy: -1, total: 2 }], ENVOY_PRIORITY)).toThrow(
      /P1: healthy must be a non-negative integer/,
    );
    expect(() => priorityConfig({ ...ENVOY_PRIORITY, overprovisioningPercent: 1.4 })).toThrow(
      /overprovisioningPercent must be an integer >= 1/,
    );
    expect(() => priorityConfig({ ...ENVOY_PRIORITY, panicThresholdPercent: 101 })).toThrow(
      /panicThresholdPercent must be a percentage/,
    );
    expect(() => choosePriority(priorityLoad([pct(1)], ENVOY_PRIORITY), -1)).toThrow(RangeError);
  });
});

const level = fc
  .record({ total: fc.integer({ min: 0, max: 40 }), a: fc.nat(), b: fc.nat() })
  .map(({ total, a, b }) => {
    const healthy = total === 0 ? 0 : a % (total + 1);
    const degraded = total - healthy === 0 ? 0 : b % (total - healthy + 1);
    return { healthy, degraded, total };
  });
const levels = fc.array(level, { minLength: 1, maxLength: 5 });
const config = fc.record({
  overprovisioningPercent: fc.integer({ min: 100, max: 200 }),
  panicThresholdPercent: fc.integer({ min: 0, max: 100 }),
  failTrafficOnPanic: fc.boolean(),
});

describe("priority load properties", () => {
  propTest.prop([levels, config])("loads are whole percentages summing to exactly 100", (ls, c) => {
    const load = priorityLoad(ls, c);
    const all = [...load.healthyLoad, ...load.degradedLoad];
    expect(all.every((l) => Number.isInteger(l) && l >= 0)).toBe(true);
    expect(all.reduce((a, b) => a + b, 0)).toBe(100);
  });

  propTest.prop([levels, config])(
    "a level with no hosts gets nothing unless no level has any",
    (ls, c) => {
      const load = priorityLoad(ls, c);
      const anyHosts = ls.some((l) => l.total > 0);
      ls.forEach((l, p) => {
        if (l.total === 0 && (anyHosts || p > 0))
          expect(load.healthyLoad[p] + load.degradedLoad[p]).toBe(0);
      });
    },
  );

  propTest.prop([levels, config])("nothing panics while the normalized total is 100", (ls, c) => {
    const load = priorityLoad(ls, c);
    if (load.normalizedTotalAvailability === 100) expect(load.panic.every((p) => !p)).toBe(true);
  });

  propTest.prop([levels, config])(
    "a fully healthy P0 (or one above 1/overprovisioning) takes everything",
    (ls, c) => {
      const [first, ...rest] = ls;
      if (first.total === 0) return;
      const healthyP0 = { healthy: first.total, degraded: 0, total: first.total };
      expect(priorityLoad([healthyP0, ...rest], c).healthyLoad[0]).toBe(100);
    },
  );

  propTest.prop([levels, config, fc.integer({ min: 1, max: 5 })])(
    "scaling every count by k changes nothing",
    (ls, c, k) => {
      const scaled = ls.map((l) => ({
        healthy: l.healthy * k,
        degraded: l.degraded * k,
        total: l.total * k,
      }));
      expect(priorityLoad(scaled, c)).toEqual(priorityLoad(ls, c));
    },
  );

  propTest.prop([levels, fc.integer({ min: 100, max: 200 })])(
    "with panic off, P0's share never falls as P0 gains healthy hosts",
    (ls, over) => {
      const c = priorityConfig({
        ...ENVOY_PRIORITY,
        overprovisioningPercent: over,
        panicThresholdPercent: 0,
      });
      const healthyOnly = ls.map((l) => ({ healthy: l.healthy, total: l.total }));
      const p0 = healthyOnly[0];
      let previous = -1;
      for (let h = 0; h <= p0.total; h++) {
        const share = priorityLoad([{ healthy: h, total: p0.total }, ...healthyOnly.slice(1)], c)
          .healthyLoad[0];
        expect(share).toBeGreaterThanOrEqual(previous);
        previous = share;
      }
    },
  );

  it("with panic on, P0's share can fall as it heals: a total panic split by host count ends abruptly", () => {
    // P0 97 hosts, P1 3 hosts (1 healthy, health 46). At 37 healthy P0 has health 53: the total is 99,
    // both levels panic, and hosts decide (97/3). One more healthy host lifts the total to 100: no
    // panic, and P0 gets its health, 54.
    expect(
      loads([
        { healthy: 37, total: 97 },
        { healthy: 1, total: 3 },
      ]),
    ).toEqual([97, 3]);
    expect(
      loads([
        { healthy: 38, total: 97 },
        { healthy: 1, total: 3 },
      ]),
    ).toEqual([54, 46]);
  });
});
