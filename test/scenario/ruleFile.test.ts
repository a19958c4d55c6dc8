// Prometheus rule files through the loader: inline under `alerts.groups`, or read from
// `alerts.file` relative to the scenario, and every mistake reported with the file it is in, its
// line:column and field path. Mirrors src/scenario/ruleFile.ts and src/scenario/resolve/alerts.ts.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { ScenarioError, type ScenarioProblem } from "../../src/scenario/errors.ts";
import { parseScenario } from "../../src/scenario/loader.ts";

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

const RULES = `groups:
  - name: api
    rules:
      - record: service:errors:rate1m
        expr: sum by (service) (rate(meshsim_request_errors_total[1m]))
      - alert: ApiErrors
        expr: service:errors:rate1m{service="api"} > 1
        for: 2m
        labels:
          severity: critical
        annotations:
          summary: "{{ $labels.service }} fails"
`;

function withRules(rules: string): string {
  const dir = mkdtempSync(join(tmpdir(), "meshsim-rules-"));
  writeFileSync(join(dir, "rules.yaml"), rules);
  const scenario = join(dir, "s.yaml");
  writeFileSync(scenario, `${BASE}alerts: { file: rules.yaml }\n`);
  return scenario;
}

function problemsOf(text: string, file = "s.yaml"): ScenarioProblem[] {
  try {
    parseScenario(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).problems;
  }
  throw new Error("expected a ScenarioError, but the scenario parsed");
}

const shown = (problems: ScenarioProblem[]) =>
  problems.map(
    (p) => `${p.file.replace(/.*\//, "")}:${p.line}:${p.column} ${p.path}: ${p.message}`,
  );

describe("a Prometheus rule file", () => {
  test("inline under alerts.groups: a recording rule, then an alerting rule reading its series", () => {
    const indented = RULES.replace(/^/gm, "  ");
    const scenario = parseScenario(`${BASE}alerts:\n${indented}`, "s.yaml");
    expect(scenario.alerts.map((r) => [r.kind, r.name])).toEqual([
      ["record", "service:errors:rate1m"],
      ["threshold", "ApiErrors"],
    ]);
    expect(scenario.alerts[1]).toMatchObject({
      forMs: 120_000,
      severity: "critical",
      labels: { severity: "critical" },
    });
  });

  test("read from alerts.file, relative to the scenario file", () => {
    const path = withRules(RULES);
    const scenario = parseScenario(`${BASE}alerts: { file: rules.yaml }\n`, path);
    expect(scenario.alerts.map((r) => r.name)).toEqual(["service:errors:rate1m", "ApiErrors"]);
  });

  test("an unsupported function in the rule file: the rule file's line:column, the field path, the function named", () => {
    const path = withRules(
      RULES.replace(
        "expr: service:errors:rate1m",
        "expr: holt_winters(service:errors:rate1m[10m], 0.3, 0.3) > 1 or service:errors:rate1m",
      ),
    );
    const problems = problemsOf(`${BASE}alerts: { file: rules.yaml }\n`, path);
    expect(shown(problems)).toHaveLength(1);
    expect(shown(problems)[0]).toMatch(
      /^rules\.yaml:7:15 groups\[0\]\.rules\[1\]\.expr: unknown function holt_winters\(\): not a PromQL function; supported functions: abs, .* at column 1, near "holt_winters/,
    );
    expect(problems[0].file).toBe(join(path, "..", "rules.yaml"));
  });

  test("a function the evaluator does not support, inline: the scenario's line:column and path", () => {
    const problems = problemsOf(
      `${BASE}alerts:\n  groups:\n    - name: g\n      rules:\n        - alert: A\n          expr: sort_by_label(meshsim_instance_up, "instance") > 0\n`,
    );
    expect(shown(problems)).toHaveLength(1);
    expect(shown(problems)[0]).toMatch(
      /^s\.yaml:16:17 alerts\.groups\[0\]\.rules\[0\]\.expr: function sort_by_label\(\) is not supported by meshsim's PromQL evaluator; supported functions: abs, /,
    );
  });

  test("a recording rule over the subquery points limit: named by its record, at the subquery's range", () => {
    const path = withRules(
      RULES.replace(
        "expr: sum by (service) (rate(meshsim_request_errors_total[1m]))",
        "expr: max_over_time(sum by (service) (rate(meshsim_request_errors_total[1m]))[1d:1s])",
      ),
    );
    expect(shown(problemsOf(`${BASE}alerts: { file: rules.yaml }\n`, path))).toEqual([
      expect.stringMatching(
        /^rules\.yaml:5:15 groups\[0\]\.rules\[0\]\.expr: rule "service:errors:rate1m" evaluates 86,400 subquery points at every evaluation; meshsim's limit is 11,000 .* a step of at least 8s or a shorter range for the subquery at column 73, /,
      ),
    ]);
  });

  test("mistakes of form, as Prometheus' rulefmt refuses them", () => {
    const path = withRules(`groups:
  - name: g
    interval: 20s
    rules:
      - alert: A
        record: a:b
        expr: meshsim_instance_up == 0
      - record: a:c
        expr: meshsim_instance_up
        for: 1m
      - alrt: B
        expr: meshsim_instance_up == 0
  - name: g
    rules: []
`);
    expect(shown(problemsOf(`${BASE}alerts: { file: rules.yaml }\n`, path))).toEqual([
      "rules.yaml:5:9 groups[0].rules[0]: a rule has either `alert` or `record`, not both",
      "rules.yaml:10:14 groups[0].rules[1].for: applies only to alerting rules",
      "rules.yaml:11:9 groups[0].rules[2]: a rule needs `alert: <name>` (an alerting rule) or `record: <metric>` (a recording rule)",
      "rules.yaml:11:9 groups[0].rules[2].alrt: `alrt` is not a field of a Prometheus rule; expected one of: alert, record, expr, for, keep_firing_for, labels, annotations",
    ]);
  });

  test("a group interval that is not a multiple of the scrape interval, and a repeated group name", () => {
    const path = withRules(`groups:
  - name: g
    interval: 20s
    rules: [{ alert: A, expr: meshsim_instance_up == 0 }]
  - name: g
    rules: []
`);
    expect(shown(problemsOf(`${BASE}alerts: { file: rules.yaml }\n`, path))).toEqual([
      "rules.yaml:3:15 groups[0].interval: must be a multiple of monitoring.scrapeInterval (15s): meshsim evaluates rules at scrapes; found 20s",
      'rules.yaml:5:11 groups[1].name: group name "g" is already used by groups[0]',
    ]);
  });

  test("a rule file that is a device, a directory or too large is refused before it is read, as a scenario file is", () => {
    const dir = mkdtempSync(join(tmpdir(), "meshsim-rules-"));
    writeFileSync(join(dir, "big.yaml"), Buffer.alloc(16 * 1024 * 1024 + 1, 0x20));
    const scenario = join(dir, "s.yaml");
    const ref = relative(dir, "/dev/zero");
    expect(shown(problemsOf(`${BASE}alerts: { file: ${ref} }\n`, scenario))).toEqual([
      expect.stringMatching(
        /cannot read the rule file: it is a character device; expected a regular file$/,
      ),
    ]);
    expect(shown(problemsOf(`${BASE}alerts: { file: . }\n`, scenario))).toEqual([
      expect.stringMatching(
        /cannot read the rule file: it is a directory; expected a regular file$/,
      ),
    ]);
    expect(shown(problemsOf(`${BASE}alerts: { file: big.yaml }\n`, scenario))).toEqual([
      expect.stringMatching(
        /big\.yaml:null:null : the file is 16 MiB; meshsim reads at most 16 MiB$/,
      ),
    ]);
  });

  test("a missing rule file, and alerts that are neither a list nor a rule file", () => {
    expect(shown(problemsOf(`${BASE}alerts: { file: nope.yaml }\n`, "/nowhere/s.yaml"))).toEqual([
      expect.stringMatching(/^nope\.yaml:null:null : cannot read the rule file: ENOENT/),
    ]);
    expect(shown(problemsOf(`${BASE}alerts: { groups: [], file: x.yaml }\n`))).toEqual([
      "s.yaml:11:9 alerts: has either `file` or `groups`, not both",
    ]);
    expect(shown(problemsOf(`${BASE}alerts: 5\n`))).toEqual([
      "s.yaml:11:9 alerts: expected a list of alert rules, or a Prometheus rule file: a map with `groups` (inline) or `file` (a path), found number 5",
    ]);
  });
});
