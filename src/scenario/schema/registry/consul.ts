// HashiCorp Consul in a scenario file: `registry: { kind: consul, ... }`, a TTL check (the app passes
// it on Spring Cloud Consul's heartbeat) or an HTTP check every interval, the check's thresholds and
// deregistration; which fields go together is checked here.
// Built when a file has this section or kind (../deferred.ts), so other files never pay for it.
import type { z } from "zod";
import { CONSUL_MIN_DEREGISTER_MS } from "../../../control/registry/presets.ts";
import { formatDuration } from "../../../kernel/duration.ts";
import {
  CONSUL_INTERVAL_CHECK,
  consulHeartbeatIntervalMs,
  CONSUL_DEFAULTS as d,
} from "../../defaults.ts";
import { deferred } from "../deferred.ts";
import { duration, integer } from "../leaves.ts";
import { type KindFormat, kindShape, pushDelay, type SpecOf } from "./format.ts";

/** Built when a file's registry is of this kind (../deferred.ts). */
const schema = deferred(() =>
  kindShape("consul", {
    ttl: duration("positive")
      .optional()
      .describe("A TTL check: critical when the app has not passed it for this long."),
    heartbeatInterval: duration("positive")
      .optional()
      .describe(
        "TTL checks: how often the app passes it (Spring Cloud Consul: ttl × 2/3, at most ttl − 1s).",
      ),
    interval: duration("positive")
      .optional()
      .describe(
        "An HTTP check every interval (Spring Cloud Consul healthCheckInterval, 10s); the default check.",
      ),
    timeout: duration("positive")
      .optional()
      .describe("Interval checks: Consul's HTTP check timeout (10s)."),
    successBeforePassing: integer(0, "an integer ≥ 0")
      .optional()
      .describe("success_before_passing (0)."),
    failuresBeforeCritical: integer(0, "an integer ≥ 0")
      .optional()
      .describe("failures_before_critical (0)."),
    deregisterCriticalServiceAfter: duration("positive")
      .optional()
      .describe("deregister_critical_service_after (none; at least 1m)."),
    pushDelay,
  }).superRefine((c, ctx) => {
    if (c.ttl !== undefined && c.interval !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["interval"],
        input: c.interval,
        message: "a Consul check has either `ttl` or `interval`, not both",
      });
    }
    if (c.ttl !== undefined && c.timeout !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["timeout"],
        input: c.timeout,
        message: "`timeout` goes with an interval check, not with `ttl`",
      });
    }
    if (c.ttl === undefined && c.heartbeatInterval !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["heartbeatInterval"],
        input: c.heartbeatInterval,
        message: "`heartbeatInterval` goes with a TTL check: give `ttl` too",
      });
    }
    if (c.ttl !== undefined && c.heartbeatInterval === undefined && c.ttl < 2_000) {
      const message =
        "Spring Cloud Consul's heartbeat (ttl × 2/3, at most ttl − 1s) needs a ttl of at least 2s; give heartbeatInterval";
      ctx.addIssue({ code: "custom", path: ["ttl"], input: c.ttl, message });
    }
    const after = c.deregisterCriticalServiceAfter;
    if (after !== undefined && after < CONSUL_MIN_DEREGISTER_MS) {
      const message = `must be at least 1m (Consul raises shorter values to 1m), found ${formatDuration(after)}`;
      ctx.addIssue({
        code: "custom",
        path: ["deregisterCriticalServiceAfter"],
        input: after,
        message,
      });
    }
  }),
);

export const consul = {
  schema,
  toSpec(raw: z.output<typeof schema>): SpecOf<"consul"> {
    const check =
      raw.ttl !== undefined
        ? {
            type: "ttl" as const,
            ttlMs: raw.ttl,
            heartbeatIntervalMs: raw.heartbeatInterval ?? consulHeartbeatIntervalMs(raw.ttl),
          }
        : {
            type: "interval" as const,
            intervalMs: raw.interval ?? CONSUL_INTERVAL_CHECK.intervalMs,
            timeoutMs: raw.timeout ?? CONSUL_INTERVAL_CHECK.timeoutMs,
          };
    return {
      kind: "consul",
      check,
      successBeforePassing: raw.successBeforePassing ?? d.successBeforePassing,
      failuresBeforeCritical: raw.failuresBeforeCritical ?? d.failuresBeforeCritical,
      deregisterCriticalServiceAfterMs:
        raw.deregisterCriticalServiceAfter ?? d.deregisterCriticalServiceAfterMs,
      pushDelayMs: raw.pushDelay ?? d.pushDelayMs,
    };
  },
} satisfies KindFormat<"consul", z.output<typeof schema>>;
