// The `alerts` list after its schema (schema/alerts.ts) → typed AlertRuleSpecs, with everything
// checked that the schema cannot see: a threshold rule's expression parses and names metrics,
// labels, loads, services, instances and buckets that exist (observe/alerts/promql/check.ts); a
// burn-rate rule's load or service exists, its latency threshold is a bucket bound, its windows
// hold at least two scrapes; names are unique. Findings carry paths from the file's root
// (`alerts[1].expr`).
import { formatDuration } from "../../kernel/duration.ts";
import { leLabel } from "../../observe/alerts/burnRate.ts";
import { type CheckContext, checkAlertExpr } from "../../observe/alerts/promql/check.ts";
import { PromqlError } from "../../observe/alerts/promql/errors.ts";
import { parseAlertExpr } from "../../observe/alerts/promql/parser.ts";
import type {
  AlertRuleSpec,
  BurnRateRuleSpec,
  Severity,
  ThresholdRuleSpec,
} from "../../observe/alerts/types.ts";
import { WINDOW_QUANTILES } from "../../observe/metrics/catalog.ts";
import type { Finding, PathSegment } from "../path.ts";
import type { RawAlertRule } from "../schema/alerts.ts";

/** What the rules are checked against: the scenario's loads, services, buckets and scrape interval. */
export interface AlertScope {
  loads: readonly string[];
  services: readonly { name: string; instances: number }[];
  bucketsMs: readonly number[];
  scrapeIntervalMs: number;
}

export function resolveAlerts(
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
        return {
          kind: "threshold",
          ...timing,
          expr,
          ast: {
            body: { kind: "number", value: 0, span: { start: 0, end: 0 } },
            op: ">",
            threshold: 0,
            opSpan: { start: 0, end: 0 },
          },
          severity: "page",
        };
      }
    }
    return burnRateRule(rule, timing, scope, (path, message) =>
      findings.push({ path: at("slo", ...path), at: "value", message }),
    );
  });
  return { rules, findings };
}

/** A threshold rule from its parts; throws PromqlError when the expression does not parse or check. */
export function thresholdRule(
  spec: {
    name: string;
    expr: string;
    forMs?: number;
    keepFiringForMs?: number;
    severity?: Severity;
  },
  ctx: CheckContext,
): ThresholdRuleSpec {
  const ast = parseAlertExpr(spec.expr);
  checkAlertExpr(ast, spec.expr, ctx);
  return {
    kind: "threshold",
    name: spec.name,
    forMs: spec.forMs ?? 0,
    keepFiringForMs: spec.keepFiringForMs ?? 0,
    expr: spec.expr,
    ast,
    severity: spec.severity ?? "page",
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
