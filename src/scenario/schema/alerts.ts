// The zod schema of a scenario's `alerts`: a list of meshsim rules (Prometheus alerting rules with
// `expr`, `for`, `keepFiringFor`, a `severity` label, and the SRE workbook's multiwindow,
// multi-burn-rate rule on an SLO), or a Prometheus rule file, inline or by path. Shapes and values
// only; expressions, metric names, loads and services are src/scenario/resolve/alerts.ts's.
// The rule-file shapes are built when a file has one (deferred.ts).
import { z } from "zod";
import { SRE_WORKBOOK_WINDOWS } from "../defaults.ts";
import { deferred } from "./deferred.ts";
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

// A Prometheus rule file as Prometheus reads it (rulefmt): groups of alerting and recording rules,
// with Prometheus' own field names, so a real file can be pasted or referenced as it is.

const labelMap = (what: string) =>
  z.record(
    z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/),
    z.string({ error: expecting("a string") }),
    {
      error: expecting(`a map of ${what} (label name: string)`),
    },
  );

const promRule = deferred(() =>
  fields("a Prometheus rule", {
    alert: z
      .string({ error: expecting("the alert's name") })
      .min(1)
      .optional()
      .describe("An alerting rule's name (alertname)."),
    record: z
      .string({ error: expecting("a metric name") })
      .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "must be a valid metric name, e.g. job:errors:rate5m")
      .optional()
      .describe("A recording rule's output metric name."),
    expr: z
      .string({ error: expecting("a PromQL expression") })
      .describe("The PromQL expression, any that Prometheus parses."),
    for: duration("nonnegative").optional().describe("Alerting rules: how long before firing."),
    keep_firing_for: duration("nonnegative")
      .optional()
      .describe("Alerting rules: how long to keep firing after the condition stops."),
    labels: labelMap("labels").optional().describe("Labels added to the rule's alerts or series."),
    annotations: labelMap("annotations")
      .optional()
      .describe("Alerting rules: annotations (accepted; templates are not expanded)."),
  }).superRefine((rule, ctx: RefineContext) => {
    if ((rule.alert === undefined) === (rule.record === undefined)) {
      ctx.addIssue({
        code: "custom",
        input: rule,
        message:
          rule.alert === undefined
            ? "a rule needs `alert: <name>` (an alerting rule) or `record: <metric>` (a recording rule)"
            : "a rule has either `alert` or `record`, not both",
      });
    }
    if (rule.record !== undefined) {
      for (const key of ["for", "keep_firing_for", "annotations"] as const) {
        if (rule[key] !== undefined)
          ctx.addIssue({
            code: "custom",
            path: [key],
            input: rule[key],
            message: "applies only to alerting rules",
          });
      }
    }
  }),
);

const ruleGroup = deferred(() =>
  fields("a rule group", {
    name: z
      .string({ error: expecting("the group's name") })
      .min(1)
      .describe("The group's name, unique in the file."),
    interval: duration("positive")
      .optional()
      .describe(
        "How often the group is evaluated: a multiple of monitoring.scrapeInterval (default: every scrape).",
      ),
    rules: z
      .array(promRule, { error: expecting("a list of rules") })
      .describe("Rules, evaluated in order."),
  }),
);

const ruleGroups = deferred(() =>
  z
    .array(ruleGroup, { error: expecting("a list of rule groups") })
    .describe("Prometheus rule groups (a rule file's `groups`)."),
);

/** `alerts` as a Prometheus rule file: inline (`groups`) or read from `file`, relative to the scenario. */
const ruleSource = deferred(() =>
  fields("a Prometheus rule file", {
    file: z
      .string({ error: expecting("a path to a Prometheus rule file, e.g. rules.yaml") })
      .min(1)
      .optional()
      .describe("A Prometheus rule file, relative to the scenario file."),
    groups: ruleGroups.optional(),
  }).superRefine((source, ctx: RefineContext) => {
    if ((source.file === undefined) === (source.groups === undefined)) {
      ctx.addIssue({
        code: "custom",
        input: source,
        message:
          source.file === undefined
            ? "needs `file: <rules.yaml>` or `groups: [...]` (a Prometheus rule file)"
            : "has either `file` or `groups`, not both",
      });
    }
  }),
);

/** A whole Prometheus rule file (what `alerts.file` names). */
export const ruleFileSchema = deferred(() =>
  fields("a Prometheus rule file", { groups: ruleGroups }),
);

export const alertsSchema = z
  .union([z.array(alertRule), ruleSource], {
    error: expecting(
      "a list of alert rules, or a Prometheus rule file: a map with `groups` (inline) or `file` (a path)",
    ),
  })
  .default([])
  .describe(
    "Alert rules, evaluated at every scrape: a list of meshsim rules (Prometheus alerting rules and SLO burn-rate rules), or a Prometheus rule file (`groups`, or `file: rules.yaml`).",
  );

export type RawAlertRule = z.output<typeof alertRule>;
export type RawRuleGroup = z.output<typeof ruleGroup>;
export type RawAlerts = z.output<typeof alertsSchema>;
