// Properties of the scenario loader: whatever the text (YAML-ish noise, any JSON value, a valid
// scenario with keys deleted, retyped or added), parseScenario returns a Scenario or throws a
// ScenarioError whose problems each say something and are sorted; valid rates convert exactly.

import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { stringify } from "yaml";
import { ScenarioError } from "../../src/scenario/errors.ts";
import { parseScenario } from "../../src/scenario/loader.ts";

/** Parses `text` and checks the one allowed failure mode. */
function expectScenarioOrScenarioError(text: string): void {
  let thrown: unknown;
  try {
    const scenario = parseScenario(text, "prop.yaml");
    expect(scenario.services.length).toBeGreaterThan(0);
    return;
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ScenarioError);
  const { problems } = thrown as ScenarioError;
  expect(problems.length).toBeGreaterThan(0);
  for (const problem of problems) {
    expect(problem.path !== "" || problem.message !== "").toBe(true);
    expect(problem.message).not.toMatch(/internal error/);
    expect(problem.file).toBe("prop.yaml");
  }
  const places = problems.map((p) => [p.line ?? 0, p.column ?? 0]);
  const sorted = [...places].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  expect(places).toEqual(sorted);
}

function validScenario(): Record<string, unknown> {
  return {
    version: 1,
    name: "prop",
    seed: 3,
    duration: "60s",
    warmup: "5s",
    network: { latency: "exp(1ms)" },
    services: {
      front: {
        instances: 2,
        concurrency: 4,
        queue: { capacity: 10 },
        threading: "async",
        operations: {
          page: {
            serviceTime: "lognormal(20ms, 1.5)",
            errorRate: 0.01,
            calls: [
              { call: "back.read" },
              { parallel: [{ call: "back.read", probability: 0.5 }, { call: "back.write" }] },
            ],
          },
        },
      },
      back: {
        operations: { read: { serviceTime: "exp(2ms)" }, write: { serviceTime: "const(5ms)" } },
      },
    },
    load: [
      {
        name: "steady",
        executor: "constant-arrival-rate",
        rate: 100,
        timeUnit: "1s",
        target: "front.page",
      },
      {
        name: "ramp",
        executor: "ramping-vus",
        stages: [{ duration: "30s", target: 10 }],
        thinkTime: "exp(1s)",
        target: "back.read",
      },
    ],
    thresholds: { latency: ["p(99)<300ms"], "errors{load:steady}": ["rate<0.05"] },
  };
}

type Json = unknown;

/** Every path to a node of `value` (the root included), objects and arrays alike. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const paths = [prefix];
  if (Array.isArray(value))
    value.forEach((item, i) => {
      paths.push(...pathsOf(item, [...prefix, i]));
    });
  else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
  }
  return paths;
}

interface Mutation {
  kind: "delete" | "replace" | "add";
  at: number;
  key: string;
  value: Json;
}

/** Applies `mutation` to a copy of `root` at the `at`-th path (modulo the number of paths). */
function mutate(root: Json, mutation: Mutation): Json {
  const copy = structuredClone(root) as Json;
  const paths = pathsOf(copy);
  const path = paths[mutation.at % paths.length];
  if (path.length === 0) return mutation.kind === "replace" ? mutation.value : copy;
  const parent = path
    .slice(0, -1)
    .reduce<Json>((node, key) => (node as Record<string | number, Json>)[key], copy) as Record<
    string | number,
    Json
  >;
  const last = path[path.length - 1];
  if (mutation.kind === "delete") {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else if (mutation.kind === "replace") {
    parent[last] = mutation.value;
  } else {
    const target = parent[last];
    if (typeof target === "object" && target !== null && !Array.isArray(target))
      (target as Record<string, Json>)[mutation.key] = mutation.value;
    else if (Array.isArray(target)) target.push(mutation.value);
  }
  return copy;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom("delete", "replace", "add"),
  at: fc.nat(),
  key: fc.oneof(
    fc.constantFrom(
      "rate",
      "vus",
      "stages",
      "calls",
      "call",
      "parallel",
      "queue",
      "operations",
      "__proto__",
    ),
    fc.string({ maxLength: 8 }),
  ),
  value: fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(
      "0",
      0,
      -1,
      "5ms",
      "exp(1s)",
      "server.work",
      "front.page",
      "p(99)<1s",
      [],
      {},
      null,
      true,
    ),
  ),
});

const YAML_ALPHABET = [
  ..."abcdefgxyz019 .-_:,#&*!|>'\"%@[]{}()?\n\t",
  "  ",
  "- ",
  ": ",
  "\n  ",
  "version: 1\n",
  "services:\n",
  "load:\n",
  "<<: ",
];

/** Lines of `key: value` at random indents, from scenario words: text that gets past the YAML parser often. */
const scenarioishLine = fc
  .tuple(
    fc.constantFrom("", "  ", "    ", "      ", "- ", "  - "),
    fc.constantFrom(
      "version",
      "name",
      "duration",
      "services",
      "server",
      "operations",
      "work",
      "serviceTime",
      "load",
      "executor",
      "rate",
      "target",
      "calls",
      "call",
      "thresholds",
      "latency",
      "x",
    ),
    fc.constantFrom(
      "",
      " 1",
      " 0",
      " 20s",
      " exp(1ms)",
      " server.work",
      " constant-vus",
      " [p(99)<1s]",
      " {}",
      " []",
      " -3",
      " 'a b'",
      " &a x",
      " *a",
    ),
  )
  .map(([indent, key, value]) => `${indent}${key}:${value}`);

describe("parseScenario returns a Scenario or throws a ScenarioError, never anything else", () => {
  test.prop([fc.string({ unit: fc.constantFrom(...YAML_ALPHABET), maxLength: 80 })], {
    numRuns: 300,
  })("for YAML-ish noise", (text) => expectScenarioOrScenarioError(text));

  test.prop([fc.array(scenarioishLine, { maxLength: 25 }).map((lines) => lines.join("\n"))], {
    numRuns: 300,
  })("for lines of scenario words at random indents", (text) =>
    expectScenarioOrScenarioError(text),
  );

  test.prop([fc.jsonValue()], { numRuns: 200 })(
    "for any JSON value, written as JSON or as YAML",
    (value) => {
      expectScenarioOrScenarioError(JSON.stringify(value) ?? "null");
      expectScenarioOrScenarioError(stringify(value));
    },
  );

  test.prop([fc.array(mutationArb, { minLength: 1, maxLength: 4 })], { numRuns: 400 })(
    "for a valid scenario with keys deleted, values retyped and keys added",
    (mutations) => {
      const mutated = mutations.reduce<Json>(
        (value, mutation) => mutate(value, mutation),
        validScenario(),
      );
      expectScenarioOrScenarioError(JSON.stringify(mutated, null, 1) ?? "null");
      expectScenarioOrScenarioError(stringify(mutated));
    },
  );

  test("the unmutated scenario of these properties is valid", () => {
    const scenario = parseScenario(stringify(validScenario()), "prop.yaml");
    expect(scenario.services.map((s) => s.name)).toEqual(["front", "back"]);
    expect(scenario.thresholds).toHaveLength(2);
  });
});

describe("valid values convert exactly", () => {
  const units = { "1ms": 1, "1s": 1000, "1m": 60_000, "10s": 10_000, "1h": 3_600_000 } as const;

  test.prop(
    [
      fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
      fc.constantFrom(...(Object.keys(units) as (keyof typeof units)[])),
    ],
    { numRuns: 200 },
  )("a constant rate is rate / timeUnit per ms", (rate, timeUnit) => {
    const text = `version: 1
name: r
duration: 1s
services: { s: { operations: { o: { serviceTime: 1ms } } } }
load: [{ name: l, executor: constant-arrival-rate, rate: ${rate}, timeUnit: ${timeUnit}, target: s.o }]
`;
    const [load] = parseScenario(text, "r.yaml").load;
    expect(load.executor === "constant-arrival-rate" && load.ratePerMs).toBe(
      rate / units[timeUnit],
    );
  });

  test.prop([fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 8 })], {
    numRuns: 100,
  })("a ramping executor lasts exactly the sum of its stages, in microseconds", (stageUs) => {
    fc.pre(stageUs.some((us) => us > 0));
    const stages = stageUs.map((us) => `{ duration: ${us}us, target: 1 }`).join(", ");
    const text = `version: 1
name: r
duration: 1h
services: { s: { operations: { o: { serviceTime: 1ms } } } }
load: [{ name: l, executor: ramping-vus, stages: [${stages}], target: s.o }]
`;
    const [load] = parseScenario(text, "r.yaml").load;
    expect(load.durationMs).toBe(stageUs.reduce((a, b) => a + b, 0) / 1000);
  });
});
