// The `alerts` after their schema (schema/alerts.ts) → typed rules, with everything checked that
// the schema cannot see: an expression parses (Prometheus' grammar) and names metrics, labels,
// loads, services, instances and buckets that exist (observe/alerts/promql/check.ts), and its
// subqueries stay under the points limit (promql/subqueryPoints.ts); a burn-rate rule's load or
// service exists, its latency threshold is a bucket bound, its windows hold at least two scrapes;
// names are unique. Findings carry paths from the file's root (`alerts[1].expr`,
// or in a rule file `groups[0].rules[2].expr`).
import { formatDuration } from "../../kernel/duration.ts";
import { leLabel } from "../../observe/alerts/burnRate.ts";
import {
  type CheckContext,
  checkExpr,
  type SeriesShape,
} from "../../observe/alerts/promql/check.ts";
import { PromqlError } from "../../observe/alerts/promql/errors.ts";
import { parseExpr } from "../../observe/alerts/promql/parser.ts";
import { checkSubqueryPoints } from "../../observe/alerts/promql/subqueryPoints.ts";
import type {
  AlertRuleSpec,
  BurnRateRuleSpec,
  RecordingRuleSpec,
  Severity,
  ThresholdRuleSpec,
} from "../../observe/alerts/types.ts";
import { WINDOW_QUANTILES } from "../../observe/metrics/catalog.ts";
import type { Finding, PathSegment } from "../path.ts";
import type { RawAlertRule, RawRuleGroup } from "../schema/alerts.ts";

/** What the rules are checked against: the scenario's loads, services, buckets and scrape interval. */
export interface AlertScope {
  loads: readonly string[];
  services: readonly { name: string; instances: number }[];
  bucketsMs: readonly number[];
  scrapeIntervalMs: number;
}

/** The `alerts` of a scenario: meshsim's list, or Prometheus rule groups (inline, or from a rule file). */
export type AlertsInput =
  | { kind: "list"; rules: readonly RawAlertRule[] }
  | { kind: "groups"; groups: readonly RawRuleGroup[]; inRuleFile: boolean };

export function resolveAlerts(
  input: AlertsInput,
  scope: AlertScope,
): { rules: AlertRuleSpec[]; findings: Finding[] } {
  return input.kind === "list"
    ? resolveList(input.rules, scope)
    : resolveGroups(input.groups, input.inRuleFile, scope);
}

function resolveList(
  raw: readonly RawAlertRule[],
  scope: AlertScope,
): { rules: AlertRuleSpec[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  const rules = raw.map((rule, index): AlertRuleSpec => {
    const at = (...path: PathSegment[]): PathSegment[] => ["alerts", index, ...path];
    const first = seen.get(rule.name);
    if (first !== undefined)
      findings.push({
        path: at("name"),
        at: "value",
        message: `alert name ${JSON.stringify(rule.name)} is already used by alerts[${first}]`,
      });
    else seen.set(rule.name, index);
    const timing = { name: rule.name, forMs: rule.for, keepFiringForMs: rule.keepFiringFor };
    if (rule.slo === undefined) {
      const expr = rule.expr ?? "";
      try {
        return thresholdRule(
          { ...timing, expr, severity: rule.severity ?? "page" },
          checkContext(scope),
        );
      } catch (error) {
        if (!(error instanceof PromqlError)) throw error;
        findings.push({ path: at("expr"), at: "value", message: error.message });
        return placeholder(timing, expr);
      }
    }
    return burnRateRule(rule, timing, scope, (path, message) =>
      findings.push({ path: at("slo", ...path), at: "value", message }),
    );
  });
  return { rules, findings };
}

/**
 * Prometheus rule groups, in file order: group names unique, intervals multiples of the scrape
 * interval, every expression parsed and checked, a recording rule's series known to the rules
 * after it. Alert names may repeat (Prometheus allows it: e.g. one rule per severity).
 */
function resolveGroups(
  groups: readonly RawRuleGroup[],
  inRuleFile: boolean,
  scope: AlertScope,
): { rules: AlertRuleSpec[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const root: PathSegment[] = inRuleFile ? ["groups"] : ["alerts", "groups"];
  const report = (path: PathSegment[], message: string) =>
    findings.push({ path: [...root, ...path], at: "value", message, inRuleFile });
  const recorded = new Map<string, SeriesShape>();
  const ctx: CheckContext = { ...checkContext(scope), recorded };
  const names = new Map<string, number>();
  const rules: AlertRuleSpec[] = [];
  groups.forEach((group, g) => {
    const first = names.get(group.name);
    if (first !== undefined)
      report(
        [g, "name"],
        `group name ${JSON.stringify(group.name)} is already used by groups[${first}]`,
      );
    else names.set(group.name, g);
    let everyTicks = 1;
    if (group.interval !== undefined) {
      everyTicks = group.interval / scope.scrapeIntervalMs;
      if (!Number.isInteger(everyTicks)) {
        report(
          [g, "interval"],
          `must be a multiple of monitoring.scrapeInterval (${formatDuration(scope.scrapeIntervalMs)}): meshsim evaluates rules at scrapes; found ${formatDuration(group.interval)}`,
        );
        everyTicks = 1;
      }
    }
    group.rules.forEach((rule, r) => {
      const spec = groupRule(rule, everyTicks, ctx, (message) =>
        report([g, "rules", r, "expr"], message),
      );
      if (spec.kind === "record") {
        const shape = spec.shape;
        const labels = Object.keys(rule.labels ?? {});
        recorded.set(rule.record!, {
          labels: [...new Set([...shape.labels, ...labels])],
          pinned: new Set([...shape.pinned, ...labels]),
        });
      }
      rules.push(spec.rule);
    });
  });
  return { rules, findings };
}

function groupRule(
  rule: RawRuleGroup["rules"][number],
  everyTicks: number,
  ctx: CheckContext,
  report: (message: string) => void,
):
  | { kind: "record"; rule: RecordingRuleSpec; shape: SeriesShape }
  | { kind: "alert"; rule: ThresholdRuleSpec } {
  const labels = rule.labels ?? {};
  let ast = null;
  let shape: SeriesShape = { labels: [], pinned: new Set() };
  try {
    ast = parseExpr(rule.expr);
    shape = checkExpr(ast, rule.expr, ctx, rule.alert !== undefined);
    // After the shape is known: a rule over the limit still tells the rules after it what it records.
    checkSubqueryPoints(ast, rule.expr, rule.alert ?? rule.record ?? "", ctx.scrapeIntervalMs);
  } catch (error) {
    if (!(error instanceof PromqlError)) throw error;
    report(error.message);
    ast = null;
  }
  const body = ast ?? NOTHING;
  if (rule.record !== undefined) {
    return {
      kind: "record",
      rule: { kind: "record", name: rule.record, expr: rule.expr, ast: body, labels, everyTicks },
      shape,
    };
  }
  return {
    kind: "alert",
    rule: {
      kind: "threshold",
      name: rule.alert!,
      forMs: rule.for ?? 0,
      keepFiringForMs: rule.keep_firing_for ?? 0,
      expr: rule.expr,
      ast: body,
      severity: labels.severity ?? "none",
      labels,
      everyTicks,
    },
  };
}

const NOTHING = { kind: "number", value: 0, span: { start: 0, end: 0 } } as const;

function placeholder(
  timing: { name: string; forMs: number; keepFiringForMs: number },
  expr: string,
): ThresholdRuleSpec {
  return {
    kind: "threshold",
    ...timing,
    expr,
    ast: NOTHING,
    severity: "page",
    labels: {},
    everyTicks: 1,
  };
}

/** A threshold rule from its parts; throws PromqlError when the expression does not parse or check. */
export function thresholdRule(
  spec: {
    name: string;
    expr: string;
    forMs?: number;
    keepFiringForMs?: number;
    severity?: Severity;
    labels?: Record<string, string>;
  },
  ctx: CheckContext,
): ThresholdRuleSpec {
  const ast = parseExpr(spec.expr);
  checkExpr(ast, spec.expr, ctx, true);
  checkSubqueryPoints(ast, spec.expr, spec.name, ctx.scrapeIntervalMs);
  return {
    kind: "threshold",
    name: spec.name,
    forMs: spec.forMs ?? 0,
    keepFiringForMs: spec.keepFiringForMs ?? 0,
    expr: spec.expr,
    ast,
    severity: spec.severity ?? "page",
    labels: spec.labels ?? {},
    everyTicks: 1,
  };
}

/** The label values a `=` matcher may name in this scenario. */
export function checkContext(scope: AlertScope): CheckContext {
  const services = scope.services.map((s) => s.name);
  return {
    scrapeIntervalMs: scope.scrapeIntervalMs,
    labelValues: {
      load: scope.loads,
      service: services,
      instance: scope.services.flatMap((s) =>
        Array.from({ length: s.instances }, (_, i) => `${s.name}-${i}`),
      ),
      source: [...services, ...scope.loads.map((l) => `load:${l}`)],
      target: services,
      le: [...scope.bucketsMs.map(leLabel), "+Inf"],
      quantile: WINDOW_QUANTILES.map(String),
    },
  };
}

type Report = (path: PathSegment[], message: string) => void;

function burnRateRule(
  rule: RawAlertRule,
  timing: Pick<BurnRateRuleSpec, "name" | "forMs" | "keepFiringForMs">,
  scope: AlertScope,
  report: Report,
): BurnRateRuleSpec {
  const slo = rule.slo!;
  const target =
    slo.load !== undefined
      ? { kind: "load" as const, name: slo.load }
      : { kind: "service" as const, name: slo.service ?? "" };
  const known = target.kind === "load" ? scope.loads : scope.services.map((s) => s.name);
  if (!known.includes(target.name))
    report(
      [target.kind],
      `there is no ${target.kind} \`${target.name}\`; ${target.kind}s are: ${[...known].sort().join(", ")}`,
    );
  if (slo.threshold !== undefined && !scope.bucketsMs.includes(slo.threshold)) {
    const bounds = scope.bucketsMs.map(formatDuration).join(", ");
    report(
      ["threshold"],
      `must be one of monitoring.buckets' bounds (the SLI counts requests in the bucket le=threshold), found ${formatDuration(slo.threshold)}; bounds are: ${bounds}`,
    );
  }
  const interval = scope.scrapeIntervalMs;
  slo.windows.forEach((w, j) => {
    if (w.short < 2 * interval) {
      report(
        ["windows", j, "short"],
        `${formatDuration(w.short)} holds fewer than two scrapes (one every ${formatDuration(interval)}), so its burn rate is never known; use at least ${formatDuration(2 * interval)}`,
      );
    }
  });
  return {
    kind: "burn-rate",
    ...timing,
    slo: {
      target,
      objectivePercent: slo.objective,
      budget: Number(((100 - slo.objective) / 100).toPrecision(12)),
      sli: slo.kind,
      thresholdMs: slo.threshold ?? null,
      windows: slo.windows.map((w) => ({
        longMs: w.long,
        shortMs: w.short,
        burnRate: w.burnRate,
        severity: w.severity,
      })),
    },
  };
}
