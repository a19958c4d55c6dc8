// The `alerts:` section through the loader: both rule kinds with their defaults, and each kind of
// mistake reported as a scenario problem with its field path and line:column (the column inside an
// expression is in the message). Mirrors src/scenario/schema/alerts.ts and
// src/scenario/resolve/alerts.ts.
import { describe, expect, test } from "vitest";
import type { ScenarioProblem } from "../../src/scenario/errors.ts";
import { parseScenario } from "../../src/scenario/loader.ts";
import { scenarioJsonSchema } from "../../src/scenario/schema/jsonSchema.ts";
import { problemsOf as problemsOfText } from "../helpers/problems.ts";

const BASE = `version: 1
name: t
duration: 10m
services:
  api:
    instances: 2
    operations:
      work: { serviceTime: exp(10ms) }
load:
  - { name: shop, executor: constant-arrival-rate, rate: 10, target: api.work }
`;

const problemsOf = (alerts: string): ScenarioProblem[] => problemsOfText(BASE + alerts);

const shown = (problems: ScenarioProblem[]) =>
  problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);

describe("valid rules", () => {
  test("no alerts section: no rules", () => {
    expect(parseScenario(BASE, "s.yaml").alerts).toEqual([]);
  });

  test("a threshold rule with for, keepFiringFor and severity; a burn-rate rule with the workbook's windows by default", () => {
    const scenario = parseScenario(
      BASE +
        `alerts:
  - name: api-errors
    expr: 'sum(rate(meshsim_request_errors_total{service="api"}[1m])) / sum(rate(meshsim_requests_total{service="api"}[1m])) > 0.05'
    for: 1m
    keepFiringFor: 30s
    severity: ticket
  - name: shop-slo
    slo: { load: shop, objective: 99.9 }
  - name: api-latency
    slo: { service: api, objective: 99, kind: latency, threshold: 250ms, windows: [{ long: 10m, short: 1m, burnRate: 2, severity: ticket }] }
`,
      "s.yaml",
    );
    const [threshold, slo, latency] = scenario.alerts;
    expect(threshold).toMatchObject({
      kind: "threshold",
      name: "api-errors",
      forMs: 60_000,
      keepFiringForMs: 30_000,
      severity: "ticket",
    });
    expect(
      threshold.kind === "threshold" && threshold.ast.kind === "binary" && threshold.ast.op,
    ).toBe(">");
    expect(slo).toEqual({
      kind: "burn-rate",
      name: "shop-slo",
      forMs: 0,
      keepFiringForMs: 0,
      slo: {
        target: { kind: "load", name: "shop" },
        objectivePercent: 99.9,
        budget: 0.001,
        sli: "availability",
        thresholdMs: null,
        windows: [
          { longMs: 3_600_000, shortMs: 300_000, burnRate: 14.4, severity: "page" },
          { longMs: 21_600_000, shortMs: 1_800_000, burnRate: 6, severity: "page" },
        ],
      },
    });
    expect(latency).toMatchObject({
      slo: {
        target: { kind: "service", name: "api" },
        sli: "latency",
        thresholdMs: 250,
        budget: 0.01,
      },
    });
  });

  test("the JSON Schema describes the alerts section", () => {
    const schema = JSON.stringify(scenarioJsonSchema());
    expect(schema).toContain("keepFiringFor");
    expect(schema).toContain("burnRate");
  });
});

describe("mistakes", () => {
  test("a parse error: the value's place in the file, the column inside the expression in the message", () => {
    expect(
      shown(problemsOf("alerts:\n  - { name: a, expr: 'rate(meshsim_requests_total[1m] > 1' }\n")),
    ).toEqual([
      '12:22 alerts[0].expr: syntax error: unclosed "(" at column 5 of "rate(meshsim_requests_total[1m] > 1"',
    ]);
  });

  test("an unknown metric lists the known ones", () => {
    const [problem] = problemsOf("alerts:\n  - { name: a, expr: 'meshsim_request_total > 1' }\n");
    expect(problem.path).toBe("alerts[0].expr");
    expect(problem.message).toMatch(
      /^unknown metric "meshsim_request_total"; metrics are: meshsim_load_requests_total, .*meshsim_requests_total, .* at column 1 of/,
    );
  });

  test("a label value the scenario does not have", () => {
    expect(
      shown(
        problemsOf(
          "alerts:\n  - { name: a, expr: 'meshsim_requests_total{service=\"payment\"} > 1' }\n",
        ),
      ),
    ).toEqual([
      '12:22 alerts[0].expr: no service "payment" in this scenario; service values are: api at column 24 of "meshsim_requests_total{service=\\"payment\\"} > 1"',
    ]);
  });

  test("a latency threshold that is not a bucket bound lists the bounds", () => {
    expect(
      shown(
        problemsOf(
          "alerts:\n  - name: a\n    slo: { load: shop, objective: 99, kind: latency, threshold: 300ms }\n",
        ),
      ),
    ).toEqual([
      "13:65 alerts[0].slo.threshold: must be one of monitoring.buckets' bounds (the SLI counts requests in the bucket le=threshold), found 300ms; " +
        "bounds are: 5ms, 10ms, 25ms, 50ms, 100ms, 250ms, 500ms, 1s, 2.5s, 5s, 10s",
    ]);
  });

  test("an SLO on a load or service that does not exist", () => {
    expect(
      shown(
        problemsOf(
          "alerts:\n  - { name: a, slo: { load: shp, objective: 99 } }\n  - { name: b, slo: { service: web, objective: 99 } }\n",
        ),
      ),
    ).toEqual([
      "12:29 alerts[0].slo.load: there is no load `shp`; loads are: shop",
      "13:32 alerts[1].slo.service: there is no service `web`; services are: api",
    ]);
  });

  test("an SLO with neither load nor service, or with both", () => {
    expect(
      shown(
        problemsOf(
          "alerts:\n  - { name: a, slo: { objective: 99 } }\n  - { name: b, slo: { load: shop, service: api, objective: 99 } }\n",
        ),
      ),
    ).toEqual([
      "12:21 alerts[0].slo: an SLO needs `load: <name>` or `service: <name>`",
      "13:21 alerts[1].slo: an SLO is on a load or a service, not both",
    ]);
  });

  test("a rule needs exactly one of expr and slo; severity goes per window pair on a burn-rate rule", () => {
    expect(
      shown(
        problemsOf(
          "alerts:\n  - { name: a }\n  - { name: b, expr: 'meshsim_instance_up < 1', slo: { load: shop, objective: 99 } }\n  - { name: c, severity: page, slo: { load: shop, objective: 99 } }\n",
        ),
      ),
    ).toEqual([
      "12:5 alerts[0]: an alert rule needs `expr` (a threshold rule) or `slo` (a burn-rate rule)",
      "13:5 alerts[1]: an alert rule has either `expr` or `slo`, not both",
      "14:26 alerts[2].severity: a burn-rate rule sets severity per window pair, in slo.windows",
    ]);
  });

  test("a window's short window must be shorter than its long one; a latency SLO needs a threshold", () => {
    const problems = problemsOf(`alerts:
  - name: a
    slo: { load: shop, objective: 99, windows: [{ long: 1m, short: 2m, burnRate: 2 }] }
  - name: b
    slo: { load: shop, objective: 99, kind: latency }
`);
    expect(shown(problems)).toEqual([
      "13:68 alerts[0].slo.windows[0].short: must be shorter than long",
      "15:5 alerts[1].slo.threshold: is required for a latency SLO; expected a duration, one of monitoring.buckets",
    ]);
  });

  test("a short window must hold two scrapes; names are unique", () => {
    const problems = problemsOf(`alerts:
  - name: a
    slo: { load: shop, objective: 99, windows: [{ long: 5m, short: 15s, burnRate: 2 }] }
  - { name: a, expr: 'meshsim_instance_up < 1' }
`);
    expect(shown(problems)).toEqual([
      "13:68 alerts[0].slo.windows[0].short: 15s holds fewer than two scrapes (one every 15s), so its burn rate is never known; use at least 30s",
      '14:13 alerts[1].name: alert name "a" is already used by alerts[0]',
    ]);
  });

  test("unknown keys and bad values get the schema's usual messages", () => {
    expect(
      shown(
        problemsOf(
          "alerts:\n  - { name: a, expr: 'meshsim_instance_up < 1', fore: 1m, severity: urgent }\n",
        ),
      ),
    ).toEqual([
      "12:49 alerts[0].fore: `fore` is not a field of an alert rule; expected one of: name, expr, slo, for, keepFiringFor, severity",
      '12:69 alerts[0].severity: expected page or ticket, found string "urgent"',
    ]);
  });
});
