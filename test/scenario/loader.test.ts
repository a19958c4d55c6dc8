// The scenario loader: the M/M/1 example of SCENARIO.md, defaults, every executor, thresholds,
// JSON input, and one test per kind of mistake, each checking the path and the line:column it
// points at. Mirrors src/scenario/loader.ts (and schema.ts, errors.ts, jsonSchema.ts through it).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { parse, stringify } from "yaml";
import type { ScenarioProblem } from "../../src/scenario/errors.ts";
import { ScenarioError } from "../../src/scenario/errors.ts";
import { loadScenarioFile, parseScenario } from "../../src/scenario/loader.ts";
import { scenarioJsonSchema } from "../../src/scenario/schema/jsonSchema.ts";
import type { LoadSpec, Scenario } from "../../src/scenario/types.ts";
import { problemOf, problemsOf } from "../helpers/problems.ts";

const MM1_PATH = fileURLToPath(new URL("./fixtures/mm1.yaml", import.meta.url));
const MM1 = readFileSync(MM1_PATH, "utf8");

/** A small valid scenario as YAML text; `extra` lines are appended at the top level. */
function scenarioText(body: string): string {
  return `version: 1
name: t
duration: 20s
${body}`;
}

const ONE_SERVICE = `services:
  server:
    operations:
      work:
        serviceTime: exp(1s)
`;

/** 1-based line and column of the `occurrence`-th `needle` in `text`. */
function positionOf(
  text: string,
  needle: string,
  occurrence = 1,
): { line: number; column: number } {
  let index = -1;
  for (let i = 0; i < occurrence; i++) {
    index = text.indexOf(needle, index + 1);
    if (index === -1)
      throw new Error(`${JSON.stringify(needle)} occurs fewer than ${occurrence} times`);
  }
  const before = text.slice(0, index).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** The problem points at `needle`, found as the first `before + needle` in the text. */
function expectAt(problem: ScenarioProblem, text: string, needle: string, before = ""): void {
  const { line, column } = positionOf(text, before + needle);
  const lines = before.split("\n");
  const expected =
    lines.length === 1
      ? { line, column: column + before.length }
      : { line: line + lines.length - 1, column: lines[lines.length - 1].length + 1 };
  expect({ line: problem.line, column: problem.column }).toEqual(expected);
}

/** Distributions as their text, so whole scenarios compare with toEqual. */
function plain(scenario: Scenario): unknown {
  return JSON.parse(
    JSON.stringify(scenario, (_key, value: unknown) =>
      value === Infinity
        ? "Infinity"
        : typeof value === "object" && value !== null && "sample" in value
          ? String(value)
          : value,
    ),
  );
}

function loadOf(text: string, index = 0): LoadSpec {
  return parseScenario(text, "s.yaml").load[index];
}

describe("a valid scenario", () => {
  test("the M/M/1 example of SCENARIO.md parses to milliseconds, per-ms rates and filled defaults", () => {
    const scenario = loadScenarioFile(MM1_PATH);
    expect(scenario).toMatchObject({
      version: 1,
      name: "mm1",
      seed: 7,
      durationMs: 20_000_000,
      warmupMs: 1_000_000,
      maxEvents: 2_000_000_000,
      thresholds: [],
    });
    expect(scenario.network.latency.mean).toBe(0);
    expect(scenario.network.latency.isConstant).toBe(true);
    expect(scenario.services).toHaveLength(1);
    const [server] = scenario.services;
    expect(server).toMatchObject({
      name: "server",
      instances: 1,
      concurrency: 1,
      queueCapacity: Infinity,
      threading: "blocking",
      zones: ["default"],
      cache: null,
    });
    expect(server.trafficPolicy).toMatchObject({
      loadBalancer: { policy: "least-request", choiceCount: 2, activeRequestBias: 1 },
      subsets: [],
      routes: [],
    });
    // Istio's defaults: no route timeout, 2 retries on connection-level failures, unlimited pools,
    // Envoy's 50% panic threshold, a 10 s connect timeout; no breaker, ejection or rate limit.
    expect(server.trafficPolicy.resilience).toEqual({
      timeoutMs: null,
      retries: {
        attempts: 2,
        perTryTimeoutMs: null,
        retryOn: [
          "connect-failure",
          "refused-stream",
          "unavailable",
          "cancelled",
          "retriable-status-codes",
        ],
        backoff: { baseMs: 25, maxMs: 250, jitter: "full" },
      },
      retryBudget: null,
      maxRetries: 2 ** 32 - 1,
      hedging: null,
      cancelOnTimeout: false,
      circuitBreaker: null,
      outlierDetection: null,
      healthyPanicThreshold: 50,
      connectionPool: {
        maxRequests: 2 ** 32 - 1,
        maxPendingRequests: 2 ** 32 - 1,
        maxConnections: 2 ** 32 - 1,
      },
      rateLimit: null,
      connectTimeoutMs: 10_000,
      healthCheck: null,
    });
    expect(server.operations).toHaveLength(1);
    expect(server.operations[0]).toMatchObject({ name: "work", errorRate: 0, calls: [] });
    expect(server.operations[0].serviceTime.mean).toBe(1000);
    expect(server.operations[0].serviceTime.toString()).toBe("exp(1s)");
    expect(scenario.load).toEqual([
      {
        name: "customers",
        target: { service: "server", operation: "work" },
        startTimeMs: 0,
        durationMs: 20_000_000,
        clients: 1,
        zone: null,
        keys: null,
        attributes: [],
        executor: "constant-arrival-rate",
        ratePerMs: 0.9 / 1000,
        arrival: "poisson",
      },
    ]);
  });

  test("left-out fields get their documented defaults", () => {
    const scenario = parseScenario(
      scenarioText(`${ONE_SERVICE}load:
  - name: users
    executor: constant-vus
    vus: 3
    target: server.work
`),
      "s.yaml",
    );
    expect(scenario).toMatchObject({ seed: 1, warmupMs: 0, maxEvents: 2_000_000_000 });
    expect(scenario.network.latency.toString()).toBe("lognormal(250us, 0.5)");
    expect(scenario.network.latency.mean).toBeCloseTo(0.25, 12);
    expect(scenario.services[0]).toMatchObject({
      instances: 1,
      concurrency: 1,
      queueCapacity: Infinity,
      threading: "blocking",
    });
    const load = scenario.load[0];
    expect(load).toMatchObject({
      executor: "constant-vus",
      vus: 3,
      startTimeMs: 0,
      durationMs: 20_000,
      clients: 1,
    });
    expect(load.executor === "constant-vus" && load.thinkTime.mean).toBe(0);
  });

  test("JSON input parses to the same scenario as the YAML it mirrors", () => {
    const asJson = JSON.stringify(
      {
        version: 1,
        name: "mm1",
        seed: 7,
        duration: "20000s",
        warmup: "1000s",
        network: { latency: "0ms" },
        services: {
          server: {
            instances: 1,
            concurrency: 1,
            operations: { work: { serviceTime: "exp(1s)" } },
          },
        },
        load: [
          {
            name: "customers",
            executor: "constant-arrival-rate",
            rate: 0.9,
            timeUnit: "1s",
            arrival: "poisson",
            target: "server.work",
          },
        ],
      },
      null,
      2,
    );
    expect(plain(parseScenario(asJson, "mm1.json"))).toEqual(plain(parseScenario(MM1, "mm1.yaml")));
  });

  test("services and operations keep the file's order, names that look like numbers included", () => {
    const scenario = parseScenario(
      scenarioText(`services:
  zeta: { operations: { b: { serviceTime: 1ms }, a: { serviceTime: 1ms }, "2": { serviceTime: 1ms } } }
  alpha: { operations: { x: { serviceTime: 1ms } } }
  "10": { operations: { y: { serviceTime: 1ms } } }
load: [{ name: l, executor: constant-vus, vus: 1, target: zeta.a }]
`),
      "s.yaml",
    );
    expect(scenario.services.map((s) => s.name)).toEqual(["zeta", "alpha", "10"]);
    expect(scenario.services[0].operations.map((o) => o.name)).toEqual(["b", "a", "2"]);
  });

  test("a service's queue, threading and call graph become typed steps", () => {
    const scenario = parseScenario(
      scenarioText(`services:
  front:
    instances: 3
    concurrency: 8
    queue: { capacity: 50 }
    threading: async
    operations:
      page:
        serviceTime: erlang(4, 20ms)
        errorRate: 0.01
        calls:
          - call: back.read
          - parallel:
              - call: back.read
              - { call: back.write, probability: 0.25 }
            probability: 0.5
  back:
    operations:
      read: { serviceTime: 2ms }
      write: { serviceTime: "uniform(1ms, 3ms)" }
load: [{ name: l, executor: constant-vus, vus: 1, target: front.page }]
`),
      "s.yaml",
    );
    const front = scenario.services[0];
    expect(front).toMatchObject({
      instances: 3,
      concurrency: 8,
      queueCapacity: 50,
      threading: "async",
    });
    expect(front.operations[0].errorRate).toBe(0.01);
    expect(front.operations[0].calls).toEqual([
      { kind: "call", target: { service: "back", operation: "read" }, probability: 1 },
      {
        kind: "parallel",
        probability: 0.5,
        steps: [
          { kind: "call", target: { service: "back", operation: "read" }, probability: 1 },
          { kind: "call", target: { service: "back", operation: "write" }, probability: 0.25 },
        ],
      },
    ]);
  });

  test("ramping-arrival-rate converts start rate and stage targets per ms and runs as long as its stages", () => {
    const load = loadOf(
      scenarioText(`${ONE_SERVICE}load:
  - name: ramp
    executor: ramping-arrival-rate
    startRate: 60
    timeUnit: 1m
    startTime: 2s
    arrival: uniform
    stages:
      - { duration: 5s, target: 120 }
      - { duration: 1m30s, target: 0 }
    target: server.work
`),
    );
    expect(load).toEqual({
      name: "ramp",
      target: { service: "server", operation: "work" },
      startTimeMs: 2000,
      durationMs: 95_000,
      clients: 1,
      zone: null,
      keys: null,
      attributes: [],
      executor: "ramping-arrival-rate",
      startRatePerMs: 60 / 60_000,
      stages: [
        { durationMs: 5000, target: 120 / 60_000 },
        { durationMs: 90_000, target: 0 },
      ],
      arrival: "uniform",
    });
  });

  test("ramping-vus keeps whole VU targets and starts at 1 VU by default", () => {
    const load = loadOf(
      scenarioText(`${ONE_SERVICE}load:
  - name: ramp
    executor: ramping-vus
    thinkTime: exp(500ms)
    clients: 2
    stages: [{ duration: 10s, target: 20 }, { duration: 10s, target: 0 }]
    duration: 20s
    target: server.work
`),
    );
    expect(load).toMatchObject({
      executor: "ramping-vus",
      startVUs: 1,
      durationMs: 20_000,
      clients: 2,
      stages: [
        { durationMs: 10_000, target: 20 },
        { durationMs: 10_000, target: 0 },
      ],
    });
    expect(load.executor === "ramping-vus" && load.thinkTime.mean).toBe(500);
  });

  test("a load that starts later runs to the end of the run unless it says otherwise", () => {
    const text = scenarioText(`${ONE_SERVICE}load:
  - { name: late, executor: constant-arrival-rate, rate: 5, startTime: 5s, target: server.work }
  - { name: short, executor: constant-arrival-rate, rate: 5, startTime: 5s, duration: 2s, target: server.work }
`);
    expect(loadOf(text, 0)).toMatchObject({
      startTimeMs: 5000,
      durationMs: 15_000,
      ratePerMs: 0.005,
    });
    expect(loadOf(text, 1)).toMatchObject({ startTimeMs: 5000, durationMs: 2000 });
  });

  test("k6 thresholds parse into metric, load tag, aggregate, operator and value", () => {
    const scenario = parseScenario(
      `${MM1}thresholds:
  latency: ['p(99)<300ms', 'avg <= 50ms', 'p(99.9)<1s']
  errors: ['rate<0.01']
  "latency{load:customers}": ['med>=1ms', 'p(99.0)!=2s']
`,
      "s.yaml",
    );
    expect(scenario.thresholds).toEqual([
      {
        metric: "latency",
        load: null,
        expression: "p(99)<300ms",
        aggregate: "p(99)",
        operator: "<",
        value: 300,
      },
      {
        metric: "latency",
        load: null,
        expression: "avg <= 50ms",
        aggregate: "avg",
        operator: "<=",
        value: 50,
      },
      {
        metric: "latency",
        load: null,
        expression: "p(99.9)<1s",
        aggregate: "p(99.9)",
        operator: "<",
        value: 1000,
      },
      {
        metric: "errors",
        load: null,
        expression: "rate<0.01",
        aggregate: "rate",
        operator: "<",
        value: 0.01,
      },
      {
        metric: "latency",
        load: "customers",
        expression: "med>=1ms",
        aggregate: "med",
        operator: ">=",
        value: 1,
      },
      {
        metric: "latency",
        load: "customers",
        expression: "p(99.0)!=2s",
        aggregate: "p(99)",
        operator: "!=",
        value: 2000,
      },
    ]);
  });
});

describe("each kind of mistake names its path and points at it", () => {
  test("an unknown key lists the allowed keys and points at the key", () => {
    const text = MM1.replace("    instances: 1", "    instnces: 1");
    const problem = problemOf(text);
    expect(problem.path).toBe("services.server.instnces");
    expect(problem.message).toBe(
      "`instnces` is not a field of a service; expected one of: instances, versions, concurrency, queue, threading, cache, zones, subzones, operations, lifecycle, autoscaling",
    );
    expectAt(problem, text, "instnces");
  });

  test("another executor's key is not a field of this executor", () => {
    const text = MM1.replace("constant-arrival-rate", "ramping-vus")
      .replace("    timeUnit: 1s\n", "")
      .replace(
        "    arrival: poisson      # poisson (default) | uniform\n",
        "    stages: [{ duration: 1s, target: 1 }]\n",
      );
    const problem = problemOf(text);
    expect(problem.path).toBe("load[0].rate");
    expect(problem.message).toMatch(
      /^`rate` is not a field of ramping-vus; expected one of: name, executor, target, .*startVUs, stages, thinkTime$/,
    );
    expectAt(problem, text, "rate:");
  });

  test("a wrong type says what was expected and what was found, at the value", () => {
    const text = MM1.replace("    instances: 1", "    instances: two");
    const problem = problemOf(text);
    expect(problem.path).toBe("services.server.instances");
    expect(problem.message).toBe('expected an integer ≥ 1, found string "two"');
    expectAt(problem, text, "two", "instances: ");
  });

  test("a bare number where a duration belongs gets parseDuration's message", () => {
    const text = MM1.replace("duration: 20000s", "duration: 20000");
    const problem = problemOf(text);
    expect(problem.path).toBe("duration");
    expect(problem.message).toMatch(
      /expected a duration such as .*got "20000" \(a bare number needs a unit/,
    );
    expectAt(problem, text, "20000 ");
  });

  test("0 is the one bare number a duration or distribution accepts", () => {
    const scenario = parseScenario(
      MM1.replace("warmup: 1000s", "warmup: 0").replace("latency: 0ms", "latency: 0"),
      "s.yaml",
    );
    expect(scenario.warmupMs).toBe(0);
    expect(scenario.network.latency.mean).toBe(0);
  });

  test("a malformed duration or distribution string gets the parser's message", () => {
    const text = MM1.replace("warmup: 1000s", "warmup: 10 s").replace(
      "serviceTime: exp(1s)",
      "serviceTime: expo(1s)",
    );
    const problems = problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual([
      "warmup",
      "services.server.operations.work.serviceTime",
    ]);
    expect(problems[0].message).toMatch(/whitespace is not allowed/);
    expect(problems[1].message).toMatch(/unknown distribution "expo"/);
    expectAt(problems[1], text, "expo(1s)");
  });

  test.each([
    ["0", "expected a number of requests per timeUnit greater than 0, found number 0"],
    ["-5", "expected a number of requests per timeUnit greater than 0, found number -5"],
    ["'900/s'", 'expected a number of requests per timeUnit greater than 0, found string "900/s"'],
  ])("rate %s is rejected", (rate, message) => {
    const text = MM1.replace("rate: 0.9", `rate: ${rate}`);
    const problem = problemOf(text);
    expect(problem).toMatchObject({ path: "load[0].rate", message });
    expectAt(problem, text, rate, "rate: ");
  });

  test("a zero timeUnit or run duration is rejected", () => {
    const text = MM1.replace("timeUnit: 1s", "timeUnit: 0ms").replace(
      "duration: 20000s",
      "duration: 0s",
    );
    expect(problemsOf(text).map((p) => `${p.path}: ${p.message}`)).toEqual([
      "duration: must be longer than 0",
      "load[0].timeUnit: must be longer than 0",
    ]);
  });

  test("an unquoted distribution with a comma inside { } gets a hint to quote it", () => {
    const text = MM1.replace(
      "      work:\n        serviceTime: exp(1s)",
      "      work: { serviceTime: uniform(1ms, 3ms) }",
    );
    const problems = problemsOf(text);
    const serviceTime = problems.find(
      (p) => p.path === "services.server.operations.work.serviceTime",
    );
    expect(serviceTime?.message).toMatch(
      /inside \{ \} or \[ \] in YAML a comma ends a value, so quote it: "uniform\(1ms, \.\.\.\)"$/,
    );
  });

  test("a missing required field points at the map that lacks it", () => {
    const text = MM1.replace("        serviceTime: exp(1s)\n", "        errorRate: 0.1\n");
    const problem = problemOf(text);
    expect(problem.path).toBe("services.server.operations.work.serviceTime");
    expect(problem.message).toMatch(/^is required; expected a distribution such as exp\(20ms\)/);
    expectAt(problem, text, "work:", "      ");
  });

  test("a missing top-level field points at the start of the file", () => {
    const problem = problemOf(MM1.replace("name: mm1\n", ""));
    expect(problem).toMatchObject({ path: "name", line: 1, column: 1 });
  });

  test("a call to a service that does not exist lists the services", () => {
    const text = MM1.replace(
      "        serviceTime: exp(1s)\n",
      "        serviceTime: exp(1s)\n        calls: [{ call: db.query }]\n",
    );
    const problem = problemOf(text);
    expect(problem).toMatchObject({
      path: "services.server.operations.work.calls[0].call",
      message: "there is no service `db`; services are: server",
    });
    expectAt(problem, text, "db.query");
  });

  test("a load target naming a missing operation lists the service's operations", () => {
    const text = MM1.replace("target: server.work", "target: server.wrok");
    const problem = problemOf(text);
    expect(problem).toMatchObject({
      path: "load[0].target",
      message: "service `server` has no operation `wrok`; its operations are: work",
    });
    expectAt(problem, text, "server.wrok");
  });

  test("a target not written as service.operation says so", () => {
    const problem = problemOf(MM1.replace("target: server.work", "target: server"));
    expect(problem).toMatchObject({
      path: "load[0].target",
      message:
        'expected an operation written as service.operation, e.g. server.work, found string "server"',
    });
  });

  test("two loads with one name are rejected at the second", () => {
    const text = `${MM1}  - { name: customers, executor: constant-vus, vus: 1, target: server.work }\n`;
    const problem = problemOf(text);
    expect(problem).toMatchObject({
      path: "load[1].name",
      message: 'load name "customers" is already used by load[0]',
    });
    expectAt(problem, text, "customers", "- { name: ");
  });

  test("an unknown executor lists the four k6 executors", () => {
    const text = MM1.replace("executor: constant-arrival-rate", "executor: per-vu-iterations");
    const problem = problemOf(text);
    expect(problem.path).toBe("load[0].executor");
    expect(problem.message).toBe(
      'expected one of constant-arrival-rate, ramping-arrival-rate, constant-vus, ramping-vus, found string "per-vu-iterations"',
    );
    expectAt(problem, text, "per-vu-iterations");
  });

  test("warm-up must end before the run does", () => {
    const text = MM1.replace("warmup: 1000s", "warmup: 20000s");
    const problem = problemOf(text);
    expect(problem).toMatchObject({
      path: "warmup",
      message: "must be shorter than duration (5h33m20s), found 5h33m20s",
    });
    expectAt(problem, text, "20000s", "warmup: ");
  });

  test("a load must start before the run ends", () => {
    const problem = problemOf(
      MM1.replace("    target: server.work", "    target: server.work\n    startTime: 6h"),
    );
    expect(problem).toMatchObject({
      path: "load[0].startTime",
      message: "must be before the end of the run (duration 5h33m20s), found 6h",
    });
  });

  test("a ramping executor's duration must agree with its stages", () => {
    const text = scenarioText(`${ONE_SERVICE}load:
  - name: ramp
    executor: ramping-arrival-rate
    duration: 10s
    stages: [{ duration: 5s, target: 10 }, { duration: 0s, target: 0 }]
    target: server.work
  - name: flat
    executor: ramping-vus
    stages: [{ duration: 0s, target: 3 }]
    target: server.work
`);
    expect(problemsOf(text).map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`)).toEqual([
      "12:15 load[0].duration: is 10s but the stages add up to 5s; leave duration out or make them agree",
      "17:13 load[1].stages: the stage durations must add up to more than 0",
    ]);
  });

  test("a threshold for a load that does not exist points at its key", () => {
    const text = `${MM1}thresholds:\n  "latency{load:buyers}": ['p(99)<1s']\n`;
    const problem = problemOf(text);
    expect(problem).toMatchObject({
      path: 'thresholds["latency{load:buyers}"]',
      message: "there is no load `buyers`; loads are: customers",
    });
    expectAt(problem, text, '"latency{load:buyers}"');
  });

  test.each([
    ["latency", "p(99)<300", /^in "p\(99\)<300": expected a duration .*a bare number needs a unit/],
    ["latency", "p(101)<1s", /^p\(N\) needs 0 < N ≤ 100, found "p\(101\)"/],
    ["latency", "rate<0.1", /^latency thresholds aggregate with avg, min, max, med or p\(N\)/],
    ["latency", "p99 < 1s", /^latency thresholds aggregate with avg, min, max, med or p\(N\)/],
    ["latency", "fast", /^expected an expression such as p\(99\)<300ms/],
    ["errors", "rate<1.5", /^expected a fraction from 0 to 1 after rate<, found "1.5"/],
    ["errors", "p(99)<0.1", /^errors thresholds aggregate with rate/],
  ])("threshold %s: %s is rejected", (metric, expression, message) => {
    const valid = metric === "errors" ? "rate<0.5" : "avg<1s";
    const text = `${MM1}thresholds:\n  ${metric}: ['${valid}', '${expression}']\n`;
    const problem = problemOf(text);
    expect(problem.path).toBe(`thresholds.${metric}[1]`);
    expect(problem.message).toMatch(message);
    expectAt(problem, text, `'${expression}'`);
  });

  test("a threshold key that is not a metric is rejected at the key", () => {
    const text = `${MM1}thresholds:\n  http_req_duration: ['p(99)<1s']\n`;
    const problem = problemOf(text);
    expect(problem).toMatchObject({ path: "thresholds.http_req_duration" });
    expect(problem.message).toMatch(
      /^expected latency or errors, optionally for one load as latency\{load:<name>\}/,
    );
    expectAt(problem, text, "http_req_duration");
  });

  test("a call step has exactly one of call and parallel", () => {
    const text = scenarioText(`services:
  a:
    operations:
      x:
        serviceTime: 1ms
        calls:
          - { call: a.y, parallel: [{ call: a.y }] }
          - { probability: 0.5 }
      y: { serviceTime: 1ms }
load: [{ name: l, executor: constant-vus, vus: 1, target: a.x }]
`);
    expect(problemsOf(text).map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`)).toEqual([
      "10:13 services.a.operations.x.calls[0]: a step has either `call` or `parallel`, not both",
      "11:13 services.a.operations.x.calls[1]: a step needs `call: service.operation` or `parallel: [steps]`",
    ]);
  });

  test("__proto__ is not a service name, though zod's records would skip it silently", () => {
    const text = MM1.replace(
      "services:\n",
      "services:\n  __proto__: { operations: { x: { serviceTime: 1ms } } }\n",
    );
    const problem = problemOf(text);
    expect(problem).toMatchObject({
      path: "services.__proto__",
      message: "`__proto__` cannot be a service name",
    });
    expectAt(problem, text, "__proto__");
  });

  test("YAML syntax errors keep their own line and column", () => {
    const problems = problemsOf("version: 1\nname: x: y\n\tduration: 1s\n");
    expect(problems.map((p) => `${p.line}:${p.column} ${p.path}${p.message}`)).toEqual([
      "2:7 YAML: Nested mappings are not allowed in compact mappings",
      "3:1 YAML: Tabs are not allowed as indentation",
    ]);
  });

  test("a duplicate key is a YAML error at the second occurrence", () => {
    const text = MM1.replace("seed: 7", "seed: 7\nseed: 8");
    const [problem] = problemsOf(text);
    expect(problem.message).toMatch(/^YAML: Map keys must be unique/);
    expectAt(problem, text, "seed", "seed: 7\n");
  });

  test("positions in JSON input point into the JSON text", () => {
    const text = JSON.stringify(
      {
        version: 1,
        name: "j",
        duration: "1s",
        services: { s: { operations: { o: { serviceTime: "1ms", errorRate: 7 } } } },
        load: [],
      },
      null,
      2,
    );
    expect(
      problemsOf(text, "s.json").map((p) => ({ path: p.path, line: p.line, column: p.column })),
    ).toEqual([
      { path: "services.s.operations.o.errorRate", ...positionOf(text, "7") },
      { path: "load", ...positionOf(text, "[]") },
    ]);
  });

  test("a file that cannot be read is a ScenarioError without a position", () => {
    expect(() => loadScenarioFile("test/scenario/fixtures/missing.yaml")).toThrow(ScenarioError);
    try {
      loadScenarioFile("test/scenario/fixtures/missing.yaml");
    } catch (error) {
      const [problem] = (error as ScenarioError).problems;
      expect(problem).toMatchObject({
        file: "test/scenario/fixtures/missing.yaml",
        line: null,
        column: null,
        path: "",
      });
      expect(problem.message).toMatch(/^cannot read the file: ENOENT/);
    }
  });
});

describe("call cycles", () => {
  test("a cycle through two services is spelled out at the call that closes it", () => {
    const text = scenarioText(`services:
  a:
    operations:
      x: { serviceTime: 1ms, calls: [{ call: b.y }] }
  b:
    operations:
      y: { serviceTime: 1ms, calls: [{ parallel: [{ call: c.z }, { call: a.x }] }] }
  c:
    operations:
      z: { serviceTime: 1ms }
load: [{ name: l, executor: constant-vus, vus: 1, target: a.x }]
`);
    const problem = problemOf(text);
    expect(problem).toMatchObject({
      path: "services.b.operations.y.calls[0].parallel[1].call",
      message: "calls form a cycle: a.x → b.y → a.x; a request would never finish",
    });
    expectAt(problem, text, "a.x }");
  });

  test("an operation that calls itself is a cycle", () => {
    const problem = problemOf(
      MM1.replace(
        "        serviceTime: exp(1s)\n",
        "        serviceTime: exp(1s)\n        calls: [{ call: server.work }]\n",
      ),
    );
    expect(problem.message).toBe(
      "calls form a cycle: server.work → server.work; a request would never finish",
    );
  });

  test("a diamond (two paths to one operation) is not a cycle", () => {
    const scenario = parseScenario(
      scenarioText(`services:
  a: { operations: { x: { serviceTime: 1ms, calls: [{ call: b.y }, { call: c.z }] } } }
  b: { operations: { y: { serviceTime: 1ms, calls: [{ call: d.w }] } } }
  c: { operations: { z: { serviceTime: 1ms, calls: [{ call: d.w }] } } }
  d: { operations: { w: { serviceTime: 1ms } } }
load: [{ name: l, executor: constant-vus, vus: 1, target: a.x }]
`),
      "s.yaml",
    );
    expect(scenario.services.map((s) => s.name)).toEqual(["a", "b", "c", "d"]);
  });
});

describe("reporting", () => {
  const broken = `version: 2
name: mm1
duration: 20000s
services:
  server:
    instnces: 1
    operations:
      work:
        serviceTime: exp(1s)
        calls: [{ call: db.query }]
load:
  - name: customers
    executor: constant-arrival-rate
    rate: 0
    target: server.work
`;

  test("every problem is reported at once, sorted by line and column, from both passes", () => {
    const problems = problemsOf(broken, "broken.yaml");
    expect(problems.map((p) => `${p.line}:${p.column} ${p.path}`)).toEqual([
      "1:10 version",
      "6:5 services.server.instnces",
      "10:25 services.server.operations.work.calls[0].call",
      "14:11 load[0].rate",
    ]);
  });

  test("the error message is one file:line:column: path: message line per problem", () => {
    expect(() => parseScenario(broken, "broken.yaml")).toThrow(ScenarioError);
    try {
      parseScenario(broken, "broken.yaml");
    } catch (error) {
      expect((error as Error).message.split("\n")).toEqual([
        "broken.yaml:1:10: version: expected 1 (the only format version), found number 2",
        "broken.yaml:6:5: services.server.instnces: `instnces` is not a field of a service; expected one of: instances, versions, concurrency, queue, threading, cache, zones, subzones, operations, lifecycle, autoscaling",
        "broken.yaml:10:25: services.server.operations.work.calls[0].call: there is no service `db`; services are: server",
        "broken.yaml:14:11: load[0].rate: expected a number of requests per timeUnit greater than 0, found number 0",
      ]);
    }
  });

  test("an empty file says a scenario was expected", () => {
    expect(problemsOf("").map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      "1:1 expected a scenario (a map with version, name, seed, duration, warmup, maxEvents, network, regions, mesh, services, load, faults, thresholds, monitoring, alerts, compare, sweep, tracing, security, authorizationPolicies, changes, registry, invariants, messaging), found null (an empty value)",
    ]);
  });

  test("a scenario written back by the yaml package parses the same", () => {
    const scenario = parseScenario(stringify(parse(MM1)), "round-trip.yaml");
    expect(plain(scenario)).toEqual(plain(parseScenario(MM1, "mm1.yaml")));
  });
});

describe("the JSON Schema for editors", () => {
  test("lists the top-level fields, forbids unknown keys and offers the four executors", () => {
    const schema = scenarioJsonSchema() as {
      $schema: string;
      additionalProperties: boolean;
      required: string[];
      properties: Record<string, unknown> & {
        load: { items: { oneOf: { properties: { executor: { const: string } } }[] } };
      };
    };
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["version", "name", "duration", "services", "load"]);
    expect(Object.keys(schema.properties)).toEqual([
      "version",
      "name",
      "seed",
      "duration",
      "warmup",
      "maxEvents",
      "network",
      "regions",
      "mesh",
      "services",
      "load",
      "faults",
      "thresholds",
      "monitoring",
      "alerts",
      "compare",
      "sweep",
      "tracing",
      "security",
      "authorizationPolicies",
      "changes",
      "registry",
      "invariants",
      "messaging",
    ]);
    expect(schema.properties.load.items.oneOf.map((o) => o.properties.executor.const)).toEqual([
      "constant-arrival-rate",
      "ramping-arrival-rate",
      "constant-vus",
      "ramping-vus",
    ]);
    expect(() => JSON.stringify(schema)).not.toThrow();
  });
});

describe("YAML pitfalls of the distribution syntax", () => {
  test("tells the user to quote an unquoted mix(...) whose ': ' YAML reads as a mapping", () => {
    const text = [
      "version: 1",
      "name: q",
      "duration: 10s",
      "services:",
      "  s:",
      "    operations:",
      "      o:",
      "        serviceTime: mix(0.9: exp(2ms), 0.1: const(40ms))",
      "load:",
      "  - { name: l, executor: constant-arrival-rate, rate: 1, target: s.o }",
    ].join("\n");
    expect(() => parseScenario(text, "q.yaml")).toThrow(
      /q\.yaml:8:\d+: YAML: .*quote it: 'mix\(\.\.\.\)'/,
    );
  });
});
