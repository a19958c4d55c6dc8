// Issue 20's reproducers: values the schema used to accept that the build or the run could not
// handle (a crash, hours of silence, memory past 4 GB, or a silent no-op). Each is now refused by
// the loader with the field's path and the limit, or runs to its bounds.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { ScenarioError } from "../../src/scenario/errors.ts";
import { parseScenario } from "../../src/scenario/loader.ts";

const root = resolve(import.meta.dirname, "../..");

const scenario = (o: {
  top?: string;
  service?: string;
  load?: string;
  instances?: string;
  serviceTime?: string;
  rate?: string;
  duration?: string;
}) => `version: 1
name: bounds
duration: ${o.duration ?? "10s"}
${o.top ?? ""}
services:
  a:
    instances: ${o.instances ?? "2"}
    operations:
      w: { serviceTime: "${o.serviceTime ?? "exp(5ms)"}" }
    ${o.service ?? ""}
load:
  - { name: l, executor: constant-arrival-rate, target: a.w, rate: ${o.rate ?? "10"} ${o.load ?? ""} }
`;

function problems(text: string, overrides: Parameters<typeof parseScenario>[2] = []): string[] {
  try {
    parseScenario(text, "bounds.yaml", overrides);
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe("values past what meshsim supports are refused with the field and the limit", () => {
  test.each([
    [
      { load: ", clients: 4294967296" },
      "load[0].clients: must be at most 10000 (meshsim's limit per load: each client is a proxy), found 4294967296",
    ],
    [
      { load: ", clients: 1e7" },
      "load[0].clients: must be at most 10000 (meshsim's limit per load: each client is a proxy), found 10000000",
    ],
    ...["4294967296", "1e12", "1e15", "10000000"].map((n) => [
      { instances: n },
      `services.a.instances: must be at most 10000 (meshsim's limit per service: each instance has a sidecar and six series), found ${Number(n)}`,
    ]),
    [
      { load: ", keys: { name: k, count: 4294967296, distribution: 'zipf(1.1)' }" },
      "load[0].keys.count: must be at most 2147483647 (meshsim's limit: key indices are 32-bit), found 4294967296",
    ],
    [
      { load: ", keys: { name: k, count: 20000000, distribution: 'zipf(1.1)' }" },
      "load[0].keys.count: must be at most 10000000 (meshsim's limit for zipf keys: the Zipf table holds 8 bytes per key), found 20000000",
    ],
    [
      { rate: "1e308" },
      "load[0].rate: must be at most 1000000000 (meshsim's limit: a nanosecond between arrivals; the millisecond clock cannot tell closer ones apart), found 1e+308 requests per second",
    ],
    [
      { rate: "1e12", top: "maxEvents: 1e15" },
      "load[0].rate: must be at most 1000000000 (meshsim's limit: a nanosecond between arrivals; the millisecond clock cannot tell closer ones apart), found 1000000000000 requests per second",
    ],
    [
      { duration: "2h", top: "monitoring: { scrapeInterval: 1us }" },
      "monitoring.scrapeInterval: gives 7200000000 scrapes of every 1us over 2h; there may be at most 10000000 (meshsim's limit on duration / scrapeInterval: each scrape reads every series)",
    ],
    [
      { duration: "1000000000s" },
      "duration: gives 66666666 scrapes of every 15s over 277777h46m40s; there may be at most 10000000 (meshsim's limit on duration / scrapeInterval: each scrape reads every series)",
    ],
    [
      {
        service: "cache: { capacity: 1e8, hitServiceTime: 1ms }",
        load: ", keys: { name: k, count: 10 }",
      },
      "services.a.cache.capacity: must be at most 10000000 (meshsim's limit: a cache slot is allocated up front), found 100000000",
    ],
    [
      {
        top: `monitoring: { buckets: [${Array.from({ length: 1001 }, (_, i) => `${i + 1}ms`).join(", ")}] }`,
      },
      "monitoring.buckets: must be at most 1000 (meshsim's limit: each bound is a series per load and service), found 1001 bounds",
    ],
  ] as [Parameters<typeof scenario>[0], string][])("%#: %s", (parts, message) => {
    expect(problems(scenario(parts))).toEqual([message]);
  });

  test.each([
    [
      "a service time",
      { serviceTime: "lognormal(1ms, 1e308)" },
      "services.a.operations.w.serviceTime",
    ],
    [
      "a cache hit time",
      {
        service: "cache: { capacity: 10, hitServiceTime: 'lognormal(1ms, 1e308)' }",
        load: ", keys: { name: k, count: 10 }",
      },
      "services.a.cache.hitServiceTime",
    ],
    [
      "a cross-zone latency",
      { top: "network: { crossZoneLatency: 'lognormal(1ms, 1e308)' }" },
      "network.crossZoneLatency",
    ],
  ] as [string, Parameters<typeof scenario>[0], string][])(
    "a lognormal whose cv overflows is refused as %s",
    (_, parts, path) => {
      expect(problems(scenario(parts))).toEqual([
        `${path}: lognormal(1ms, 1e+308) would draw values up to infinity; its largest draw and its moments must be finite, so use a smaller mean or cv`,
      ]);
    },
  );

  test("a lognormal whose variance overflows is refused; one with a huge but finite cv is accepted", () => {
    expect(problems(scenario({ serviceTime: "lognormal(1000000h, 1e150)" }))).toHaveLength(1);
    expect(problems(scenario({ serviceTime: "lognormal(1ms, 1e150)" }))).toEqual([]);
  });

  test("each limit's value itself is accepted", () => {
    expect(
      problems(
        scenario({
          instances: "10000",
          rate: "1000000000",
          load: ", clients: 10000, keys: { name: k, count: 10000000, distribution: 'zipf(1.1)' }",
          top: "maxEvents: 9007199254740991\nmonitoring: { scrapeInterval: 1us }",
          duration: "10s",
        }),
      ),
    ).toEqual([]);
  });

  test("payment-brownout with 2^32 order instances is bad input with a position, not an internal error", () => {
    const file = resolve(root, "scenarios/payment-brownout.yaml");
    try {
      parseScenario(readFileSync(file, "utf8"), "payment-brownout.yaml", [
        { path: ["services", "order", "instances"], value: 4294967296, origin: "test" },
      ]);
      expect.unreachable("the loader accepted 2^32 instances");
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioError);
      const [problem] = (error as ScenarioError).problems;
      expect(problem.line).not.toBeNull();
      expect(problem.path).toBe("services.order.instances");
      expect(problem.message).toMatch(/^must be at most 10000 \(/);
    }
  });
});

describe("a huge but valid scenario runs to its bounds", () => {
  test("a run of 10^9 s with a long scrape interval is stopped by maxEvents, with no scrape times listed up front", () => {
    const parsed = parseScenario(
      scenario({
        duration: "1000000000s",
        top: "maxEvents: 5000\nmonitoring: { scrapeInterval: 1000000s }",
      }),
      "bounds.yaml",
    );
    const result = runScenario(parsed);
    expect(result.events).toBe(5000);
    expect(result.stopReason).toBe("event-cap");
  });
});
