import { describe, expect, test } from "vitest";
import type { FaultServiceInfo } from "../../../src/scenario/resolve/faults.ts";
import { resolveFaults } from "../../../src/scenario/resolve/faults.ts";
import { faultsSchema } from "../../../src/scenario/schema/faults/index.ts";

const SERVICES: FaultServiceInfo[] = [
  { name: "order", instances: 3, zones: ["a", "b", "c"] },
  { name: "payment", instances: 2, zones: ["a", "b"] },
  { name: "user", instances: 7, zones: ["default"] },
];
const LOADS = ["shoppers"];
const RUN_MS = 600_000;

function resolve(faults: unknown[]) {
  return resolveFaults(faultsSchema.parse(faults), SERVICES, LOADS, RUN_MS);
}

/** The findings as the loader would print their paths: `faults[0].target.value: message`. */
function findings(faults: unknown[]): string[] {
  return resolve(faults).findings.map((f) => {
    const path = f.path
      .map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`))
      .join("")
      .replace(/^\./, "");
    return `${path}: ${f.message}`;
  });
}

const kill = (target: unknown, extra: object = {}) => ({
  kind: "pod-kill",
  at: "1m",
  target,
  ...extra,
});

describe("resolving faults", () => {
  test("every kind comes out typed and defaulted, named <kind>-<index> when unnamed", () => {
    const { faults, findings: problems } = resolve([
      {
        name: "order-dies",
        kind: "pod-kill",
        at: "2m",
        restartAfter: "30s",
        target: { service: "order", mode: "one" },
      },
      {
        kind: "pod-failure",
        at: "1m",
        duration: "1m",
        target: { service: "payment", mode: "fixed", value: 2 },
      },
      {
        kind: "delay",
        at: "1m",
        delay: "200ms",
        target: { edge: { from: "load:shoppers", to: "order" } },
      },
      {
        kind: "abort",
        at: "1m",
        httpStatus: 503,
        percentage: 10,
        target: { service: "user", mode: "fixed-percent", value: 30 },
      },
      { kind: "cpu-stress", at: "1m", factor: 3, target: { service: "payment" } },
      {
        kind: "partition",
        at: "1m",
        duration: "2m",
        target: {
          between: [{ zones: ["a"] }, { service: "user", mode: "random-max-percent", value: 50 }],
        },
      },
    ]);
    expect(problems).toEqual([]);
    expect(faults.map((f) => f.name)).toEqual([
      "order-dies",
      "pod-failure-1",
      "delay-2",
      "abort-3",
      "cpu-stress-4",
      "partition-5",
    ]);
    expect(faults[0]).toEqual({
      name: "order-dies",
      atMs: 120_000,
      kind: "pod-kill",
      target: { kind: "instances", service: "order", selection: { mode: "one" } },
      restartAfterMs: 30_000,
    });
    expect(faults[1]).toMatchObject({
      durationMs: 60_000,
      target: { selection: { mode: "fixed", count: 2 } },
    });
    expect(faults[2]).toMatchObject({
      durationMs: null,
      percentage: 100,
      target: { kind: "edge", from: "load:shoppers", to: "order" },
    });
    expect(faults[3]).toMatchObject({
      httpStatus: 503,
      percentage: 10,
      target: { selection: { mode: "fixed-percent", percent: 30 } },
    });
    expect(faults[4]).toMatchObject({ factor: 3, target: { selection: { mode: "all" } } });
    expect(faults[5]).toMatchObject({
      durationMs: 120_000,
      target: {
        sideA: { kind: "zones", zones: ["a"] },
        sideB: {
          kind: "instances",
          service: "user",
          selection: { mode: "random-max-percent", maxPercent: 50 },
        },
      },
    });
  });

  test("a delay is constant without jitter and uniform(delay − jitter, delay + jitter) with it (Toxiproxy)", () => {
    const { faults } = resolve([
      { kind: "delay", at: 0, delay: "200ms", target: { service: "order" } },
      { kind: "delay", at: 0, delay: "200ms", jitter: "50ms", target: { service: "order" } },
    ]);
    const [fixed, jittered] = faults.map((f) => (f.kind === "delay" ? f.delay : null));
    expect(fixed?.toString()).toBe("const(200ms)");
    expect(jittered?.toString()).toBe("uniform(150ms, 250ms)");
  });

  test("an unknown service lists the known ones, wherever a service is named", () => {
    expect(findings([kill({ service: "ordr" })])).toEqual([
      "faults[0].target.service: there is no service `ordr`; services are: order, payment, user",
    ]);
    expect(
      findings([
        {
          kind: "abort",
          at: 0,
          httpStatus: 500,
          target: { edge: { from: "gateway", to: "paymnt" } },
        },
      ]),
    ).toEqual([
      "faults[0].target.edge.from: there is no service `gateway`; services are: order, payment, user",
      "faults[0].target.edge.to: there is no service `paymnt`; services are: order, payment, user",
    ]);
    expect(
      findings([
        { kind: "partition", at: 0, target: { between: [{ zones: ["a"] }, { service: "cart" }] } },
      ]),
    ).toEqual([
      "faults[0].target.between[1].service: there is no service `cart`; services are: order, payment, user",
    ]);
  });

  test("an edge from an unknown load lists the loads; an edge nobody calls is fine", () => {
    expect(
      findings([
        {
          kind: "delay",
          at: 0,
          delay: "1ms",
          target: { edge: { from: "load:buyers", to: "order" } },
        },
      ]),
    ).toEqual(["faults[0].target.edge.from: there is no load `buyers`; loads are: shoppers"]);
    expect(
      findings([
        { kind: "delay", at: 0, delay: "1ms", target: { edge: { from: "payment", to: "user" } } },
      ]),
    ).toEqual([]);
  });

  test("an unknown zone lists the zones services use", () => {
    expect(findings([{ kind: "partition", at: 0, target: { zones: ["a", "d"] } }])).toEqual([
      "faults[0].target.zones[1]: no service has instances in zone `d`; zones are: a, b, c, default",
    ]);
  });

  test("a fixed count must lie between 1 and the service's instance count", () => {
    expect(findings([kill({ service: "payment", mode: "fixed", value: 3 })])).toEqual([
      "faults[0].target.value: expected an instance count from 1 to 2 (payment has 2 instances), found 3",
    ]);
    expect(findings([kill({ service: "payment", mode: "fixed", value: 0 })])).toEqual([
      "faults[0].target.value: expected an instance count from 1 to 2 (payment has 2 instances), found 0",
    ]);
    expect(findings([kill({ service: "payment", mode: "fixed", value: 2 })])).toEqual([]);
  });

  test("fixed-percent and random-max-percent lie in (0, 100]", () => {
    expect(findings([kill({ service: "user", mode: "fixed-percent", value: 0 })])).toEqual([
      "faults[0].target.value: expected a percent from 1 to 100 (Chaos Mesh's fixed-percent range, (0, 100]), found 0",
    ]);
    expect(findings([kill({ service: "user", mode: "random-max-percent", value: 101 })])).toEqual([
      "faults[0].target.value: expected a percent from 1 to 100 (Chaos Mesh's random-max-percent range, (0, 100]), found 101",
    ]);
    expect(findings([kill({ service: "user", mode: "fixed-percent", value: 100 })])).toEqual([]);
  });

  test("a percent that rounds down to no instance is an error, with the least percent that selects one", () => {
    expect(findings([kill({ service: "payment", mode: "fixed-percent", value: 30 })])).toEqual([
      "faults[0].target.value: selects no instance: fixed-percent rounds down as Chaos Mesh does, and 30% of 2 instances is 0.6; give at least 50%, or mode fixed",
    ]);
    expect(findings([kill({ service: "user", mode: "fixed-percent", value: 15 })])).toEqual([]);
  });

  test("`at` must fall before the end of the run", () => {
    expect(findings([kill({ service: "order" }, { at: "10m" })])).toEqual([
      "faults[0].at: must be before the end of the run (duration 10m), found 10m",
    ]);
    expect(findings([kill({ service: "order" }, { at: "9m59s" })])).toEqual([]);
  });

  test("names are unique, default names included", () => {
    expect(
      findings([
        kill({ service: "order" }, { name: "boom" }),
        kill({ service: "user" }, { name: "boom" }),
      ]),
    ).toEqual([
      'faults[1].name: fault name "boom" is already used by faults[0]; give one of them another name',
    ]);
    expect(
      findings([kill({ service: "order" }), kill({ service: "user" }, { name: "pod-kill-0" })]),
    ).toEqual([
      'faults[1].name: fault name "pod-kill-0" is already used by faults[0] (its default name, as it has none); give one of them another name',
    ]);
    expect(
      findings([kill({ service: "order" }, { name: "pod-kill-1" }), kill({ service: "user" })]),
    ).toEqual([
      'faults[1].name: the default name "pod-kill-1" is already used by faults[0]; give one of them another name',
    ]);
  });

  test("the two sides of a partition must not overlap", () => {
    expect(
      findings([
        {
          kind: "partition",
          at: 0,
          target: { between: [{ zones: ["a", "b"] }, { zones: ["b", "c"] }] },
        },
      ]),
    ).toEqual([
      "faults[0].target.between[1].zones[0]: zone `b` is on both sides; a partition's sides must not overlap",
    ]);
    const sameService = {
      between: [
        { service: "order", mode: "one" },
        { service: "order", mode: "one" },
      ],
    };
    expect(findings([{ kind: "partition", at: 0, target: sameService }])).toEqual([
      "faults[0].target.between[1].service: both sides select instances of `order`, so they could overlap; partition a service's instances from the rest with target: { service, mode, value }",
    ]);
  });

  test("every finding points at a value, with a path from the file's root", () => {
    const { findings: all } = resolve([
      kill({ service: "nope" }),
      { kind: "partition", at: "11m", target: { zones: ["z"] } },
    ]);
    expect(all.map((f) => f.path)).toEqual([
      ["faults", 0, "target", "service"],
      ["faults", 1, "at"],
      ["faults", 1, "target", "zones", 0],
    ]);
    expect(all.every((f) => f.at === "value")).toBe(true);
  });
});
