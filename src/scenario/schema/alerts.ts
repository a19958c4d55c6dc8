// The zod schema of a scenario's `alerts` list: Prometheus alerting rules (`expr`, `for`,
// `keepFiringFor`, a `severity` label) and the SRE workbook's multiwindow, multi-burn-rate rule on
// an SLO (`slo`). Shapes and values only; the expression's grammar and metric names, the SLO's load
// or service and its latency bucket are src/scenario/resolve/alerts.ts's.
import { z } from "zod";
import { SRE_WORKBOOK_WINDOWS } from "../defaults.ts";
import { duration, expecting, fields, name, nonEmptyList } from "./leaves.ts";
import { IDENT_PATTERN, NAME_PATTERN } from "./patterns.ts";

const severity = z.enum(["page", "ticket"], { error: expecting("page or ticket") });

type RefineContext = z.core.$RefinementCtx<unknown>;

const burnWindow = fields("a window pair", {
  long: duration("positive").describe(
    "The long window (SRE workbook: 1h for a 14.4× burn, 6h for 6×).",
  ),
  short: duration("positive").describe(
    "The short window, typically 1/12 of the long one; it makes the alert stop soon after the errors do.",
  ),
  burnRate: z
    .number({
      error: expecting(
        "a number > 0: how many times faster than the SLO allows the error budget burns, e.g. 14.4",
      ),
    })
    .positive()
    .describe("Alert when both windows burn the budget faster than this."),
  severity: severity.default("page"),
}).superRefine((pair, ctx) => {
  if (pair.short >= pair.long)
    ctx.addIssue({
      code: "custom",
      path: ["short"],
      input: pair.short,
      message: "must be shorter than long",
    });
});

const slo = fields("an SLO", {
  load: name(NAME_PATTERN, "letters, digits, _, . and -")
    .optional()
    .describe("The SLO is on this load's end-user requests..."),
  service: z
    .string({ error: expecting("a service name") })
    .regex(IDENT_PATTERN)
    .optional()
    .describe("...or on the calls this service answers."),
  objective: z
    .number({ error: expecting("a percentage above 0 and below 100, e.g. 99.9") })
    .gt(0)
    .lt(100)
    .describe("The SLO in percent of good requests, e.g. 99.9 (an error budget of 0.1%)."),
  kind: z
    .enum(["availability", "latency"], { error: expecting("availability or latency") })
    .default("availability")
    .describe(
      "availability: failed requests are bad; latency: failed ones and those slower than threshold.",
    ),
  threshold: duration("positive")
    .optional()
    .describe("Latency SLOs: the bound, one of monitoring.buckets."),
  windows: nonEmptyList("window pair", burnWindow)
    .prefault(SRE_WORKBOOK_WINDOWS.map((w) => ({ ...w })))
    .describe(
      "Window pairs, ORed; default the workbook's 1h/5m at 14.4× and 6h/30m at 6×, both paging.",
    ),
}).superRefine((spec, ctx: RefineContext) => {
  if ((spec.load === undefined) === (spec.service === undefined)) {
    const message =
      spec.load === undefined
        ? "an SLO needs `load: <name>` or `service: <name>`"
        : "an SLO is on a load or a service, not both";
    ctx.addIssue({ code: "custom", input: spec, message });
  }
  if (spec.kind === "latency" && spec.threshold === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["threshold"],
      input: undefined,
      message: "is required for a latency SLO; expected a duration, one of monitoring.buckets",
    });
  } else if (spec.kind === "availability" && spec.threshold !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["threshold"],
      input: spec.threshold,
      message: "goes only with kind: latency",
    });
  }
});

const alertRule = fields("an alert rule", {
  name: name(NAME_PATTERN, "letters, digits, _, . and -").describe(
    "The alert's name (Prometheus alertname), unique.",
  ),
  expr: z
    .string({
      error: expecting(
        "a PromQL expression ending in a comparison, e.g. sum(rate(meshsim_request_errors_total[1m])) > 5",
      ),
    })
    .optional()
    .describe(
      "Threshold rule: a PromQL expression compared with a number; every series that passes is an alert.",
    ),
  slo: slo.optional().describe("Burn-rate rule: the SLO whose error budget the alert watches."),
  for: duration("nonnegative")
    .prefault(0)
    .describe("How long the condition must hold before the alert fires (Prometheus `for`)."),
  keepFiringFor: duration("nonnegative")
    .prefault(0)
    .describe(
      "How long a firing alert keeps firing after its condition stops (Prometheus keep_firing_for).",
    ),
  severity: severity
    .optional()
    .describe(
      "Threshold rules: page (default) or ticket. A burn-rate rule gives each window pair its own.",
    ),
}).superRefine((rule, ctx: RefineContext) => {
  if ((rule.expr === undefined) === (rule.slo === undefined)) {
    const message =
      rule.expr === undefined
        ? "an alert rule needs `expr` (a threshold rule) or `slo` (a burn-rate rule)"
        : "an alert rule has either `expr` or `slo`, not both";
    ctx.addIssue({ code: "custom", input: rule, message });
  }
  if (rule.slo !== undefined && rule.severity !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["severity"],
      input: rule.severity,
      message: "a burn-rate rule sets severity per window pair, in slo.windows",
    });
  }
});

export const alertsSchema = z
  .array(alertRule, { error: expecting("a list of alert rules") })
  .default([])
  .describe(
    "Alert rules, evaluated at every scrape (Prometheus alerting rules and SLO burn-rate rules).",
  );

export type RawAlertRule = z.output<typeof alertRule>;
