import { describe, expect, test } from "vitest";
import { z } from "zod";
import { faultsSchema } from "../../src/scenario/schema/faults/index.ts";

/** Every issue as `path: message` (unknown keys as the loader shows them: the key appended to the path). */
function problems(faults: unknown): string[] {
  const parsed = faultsSchema.safeParse(faults);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const path = issue.code === "unrecognized_keys" ? [...issue.path, ...issue.keys] : issue.path;
    return `${path.map(String).join(".")}: ${issue.message}`;
  });
}

function parse(faults: unknown) {
  const parsed = faultsSchema.safeParse(faults);
  if (!parsed.success)
    throw new Error(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
  // The faults parsed here all have a target (a registry-outage has none).
  return parsed.data as Extract<(typeof parsed.data)[number], { target: unknown }>[];
}

describe("the faults schema", () => {
  test("faults default to an empty list", () => {
    expect(faultsSchema.parse(undefined)).toEqual([]);
  });

  test("pod-kill parses with mode all and no restart by default", () => {
    expect(
      parse([{ name: "order-dies", kind: "pod-kill", at: "2m", target: { service: "order" } }]),
    ).toEqual([
      { name: "order-dies", kind: "pod-kill", at: 120_000, target: { service: "order" } },
    ]);
    const [kill] = parse([
      {
        kind: "pod-kill",
        at: "2m",
        restartAfter: "30s",
        target: { service: "order", mode: "one" },
      },
    ]);
    expect(kill).toEqual({
      kind: "pod-kill",
      at: 120_000,
      restartAfter: 30_000,
      target: { service: "order", mode: "one" },
    });
  });

  test("pod-failure and cpu-stress parse with an optional duration", () => {
    expect(
      parse([
        {
          kind: "pod-failure",
          at: "1m",
          duration: "1m",
          target: { service: "payment", mode: "fixed", value: 2 },
        },
      ]),
    ).toEqual([
      {
        kind: "pod-failure",
        at: 60_000,
        duration: 60_000,
        target: { service: "payment", mode: "fixed", value: 2 },
      },
    ]);
    expect(
      parse([
        {
          kind: "cpu-stress",
          at: 0,
          factor: 3,
          target: { service: "payment", mode: "fixed-percent", value: 50 },
        },
      ]),
    ).toEqual([
      {
        kind: "cpu-stress",
        at: 0,
        factor: 3,
        target: { service: "payment", mode: "fixed-percent", value: 50 },
      },
    ]);
  });

  test("delay parses with jitter 0 and percentage 100 by default, on instances or on an edge", () => {
    expect(
      parse([{ kind: "delay", at: "1m", delay: "200ms", target: { service: "payment" } }]),
    ).toEqual([
      {
        kind: "delay",
        at: 60_000,
        delay: 200,
        jitter: 0,
        percentage: 100,
        target: { service: "payment" },
      },
    ]);
    const [edge] = parse([
      {
        kind: "delay",
        at: "1m",
        duration: "1m",
        delay: "200ms",
        jitter: "50ms",
        percentage: 25,
        target: { edge: { from: "load:shoppers", to: "payment" } },
      },
    ]);
    expect(edge).toMatchObject({
      delay: 200,
      jitter: 50,
      percentage: 25,
      duration: 60_000,
      target: { edge: { from: "load:shoppers", to: "payment" } },
    });
  });

  test("abort parses with percentage 100 by default", () => {
    expect(
      parse([
        {
          kind: "abort",
          at: "10s",
          httpStatus: 503,
          target: { edge: { from: "order", to: "payment" } },
        },
      ]),
    ).toEqual([
      {
        kind: "abort",
        at: 10_000,
        httpStatus: 503,
        percentage: 100,
        target: { edge: { from: "order", to: "payment" } },
      },
    ]);
  });

  test("partition parses zones, two sides, or a service's instances", () => {
    expect(
      parse([{ kind: "partition", at: "1m", duration: "2m", target: { zones: ["c"] } }])[0].target,
    ).toEqual({ zones: ["c"] });
    const between = { between: [{ zones: ["a"] }, { zones: ["b", "c"] }] };
    expect(parse([{ kind: "partition", at: "1m", target: between }])[0].target).toEqual(between);
    expect(
      parse([{ kind: "partition", at: "1m", target: { service: "order", mode: "one" } }])[0].target,
    ).toEqual({ service: "order", mode: "one" });
    const mixed = { between: [{ service: "order", mode: "fixed", value: 1 }, { zones: ["b"] }] };
    expect(parse([{ kind: "partition", at: "1m", target: mixed }])[0].target).toEqual(mixed);
  });

  test("another kind's key is an error that lists the allowed keys", () => {
    expect(
      problems([{ kind: "pod-kill", at: "1m", duration: "1m", target: { service: "order" } }]),
    ).toEqual([
      "0.duration: is not a field of a pod-kill fault; expected one of: name, kind, at, restartAfter, target",
    ]);
    expect(
      problems([
        { kind: "delay", at: "1m", delay: "1ms", factor: 3, target: { service: "order" } },
      ]),
    ).toEqual([
      "0.factor: is not a field of a delay fault; expected one of: name, kind, at, duration, delay, jitter, percentage, target",
    ]);
    expect(
      problems([
        {
          kind: "pod-failure",
          at: "1m",
          target: { service: "order", edge: { from: "a", to: "b" } },
        },
      ]),
    ).toEqual([
      "0.target.edge: is not a field of an instance target; expected one of: service, mode, value",
    ]);
  });

  test("an unknown or missing kind names the kinds", () => {
    expect(problems([{ kind: "network-loss", at: "1m" }, { at: "1m" }, 5])).toEqual([
      '0.kind: expected a fault kind, one of pod-kill, pod-failure, delay, abort, cpu-stress, partition, registry-outage, found string "network-loss"',
      "1.kind: is required; expected a fault kind, one of pod-kill, pod-failure, delay, abort, cpu-stress, partition, registry-outage",
      "2: expected a fault (a map with kind, at and target), found number 5",
    ]);
  });

  test("a wrong type says what was expected and what was found", () => {
    expect(
      problems([
        {
          kind: "abort",
          at: "1m",
          httpStatus: 503,
          percentage: "10%",
          target: { service: "order" },
        },
      ]),
    ).toEqual(['0.percentage: expected a percent from 0 to 100, found string "10%"']);
    expect(
      problems([{ kind: "cpu-stress", at: "1m", factor: 1, target: { service: "order" } }]),
    ).toEqual([
      "0.factor: expected a service-time multiplier greater than 1, e.g. 3, found number 1",
    ]);
    expect(problems([{ kind: "pod-kill", at: 60, target: { service: "order" } }])).toEqual([
      '0.at: expected a duration such as 250ms, 1.5s or 1m30s, got "60" (a bare number needs a unit, e.g. 12ms)',
    ]);
    expect(problems({ kind: "pod-kill" })).toEqual([": expected a list of faults, found a map"]);
  });

  test("a negative or zero duration is an error at its path", () => {
    expect(
      problems([{ kind: "pod-failure", at: "1m", duration: "-1m", target: { service: "order" } }]),
    ).toEqual([
      '0.duration: expected a duration such as 250ms, 1.5s or 1m30s, got "-1m" (durations cannot be negative)',
    ]);
    expect(
      problems([{ kind: "pod-kill", at: "1m", restartAfter: 0, target: { service: "order" } }]),
    ).toEqual(["0.restartAfter: must be longer than 0"]);
  });

  test("jitter above the delay is an error (Toxiproxy's delay ± jitter would go below 0)", () => {
    expect(
      problems([
        { kind: "delay", at: "1m", delay: "10ms", jitter: "20ms", target: { service: "order" } },
      ]),
    ).toEqual(["0.jitter: must be at most the delay, so the delay never goes below 0"]);
    expect(
      problems([
        { kind: "delay", at: "1m", delay: "10ms", jitter: "10ms", target: { service: "order" } },
      ]),
    ).toEqual([]);
  });

  test("abort without httpStatus, or with one outside 400..599, is an error", () => {
    expect(problems([{ kind: "abort", at: "1m", target: { service: "order" } }])).toEqual([
      "0.httpStatus: is required; expected an HTTP status from 400 to 599",
    ]);
    expect(
      problems([{ kind: "abort", at: "1m", httpStatus: 200, target: { service: "order" } }]),
    ).toEqual(["0.httpStatus: expected an HTTP status from 400 to 599, found number 200"]);
  });

  test("a target has exactly one of its alternatives, and mode/value only beside a service", () => {
    expect(
      problems([
        {
          kind: "delay",
          at: "1m",
          delay: "1ms",
          target: { service: "a", edge: { from: "a", to: "b" } },
        },
      ]),
    ).toEqual(["0.target: a target takes only one of: service, edge; found service and edge"]);
    expect(problems([{ kind: "partition", at: "1m", target: {} }])).toEqual([
      "0.target: a target needs one of: service, zones, between",
    ]);
    expect(problems([{ kind: "pod-kill", at: "1m", target: { mode: "one" } }])).toEqual([
      "0.target.service: is required; expected a service name",
    ]);
    expect(
      problems([{ kind: "partition", at: "1m", target: { zones: ["a"], mode: "one" } }]),
    ).toEqual(["0.target.mode: `mode` selects instances, so it goes with `service`, not `zones`"]);
    expect(
      problems([
        { kind: "delay", at: "1m", delay: "1ms", target: { edge: { from: "load:x y", to: "b" } } },
      ]),
    ).toEqual([
      `0.target.edge.from: expected a service name, or load:<name> for a load's clients, found string "load:x y"`,
    ]);
  });

  test("value is required by fixed and the percent modes, and refused by one and all", () => {
    expect(
      problems([{ kind: "pod-kill", at: "1m", target: { service: "a", mode: "fixed" } }]),
    ).toEqual(["0.target.value: is required with mode fixed; expected how many instances"]);
    expect(
      problems([{ kind: "pod-kill", at: "1m", target: { service: "a", mode: "fixed-percent" } }]),
    ).toEqual([
      "0.target.value: is required with mode fixed-percent; expected a percent from 1 to 100",
    ]);
    expect(
      problems([{ kind: "pod-kill", at: "1m", target: { service: "a", mode: "one", value: 2 } }]),
    ).toEqual([
      "0.target.value: mode one takes no value; value goes with fixed, fixed-percent and random-max-percent",
    ]);
    expect(
      problems([{ kind: "pod-kill", at: "1m", target: { service: "a", mode: "some" } }]),
    ).toEqual([
      '0.target.mode: expected a mode, one of one, all, fixed, fixed-percent, random-max-percent, found string "some"',
    ]);
  });

  test("a partition between needs exactly two non-empty sides", () => {
    expect(
      problems([{ kind: "partition", at: "1m", target: { between: [{ zones: [] }] } }]),
    ).toEqual([
      "0.target.between.0.zones: needs at least one zone",
      "0.target.between: needs exactly two sides, e.g. [{ zones: [a] }, { zones: [b, c] }]",
    ]);
  });

  test("the schema converts to JSON Schema for editors", () => {
    const json = z.toJSONSchema(faultsSchema, { io: "input", unrepresentable: "any" });
    expect(JSON.stringify(json)).toContain("random-max-percent");
  });
});
