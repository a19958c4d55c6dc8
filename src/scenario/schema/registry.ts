// The zod schema of `registry` (top level, optional) and of a traffic policy's `healthCheck`:
// one strict shape per registry kind, discriminated by `kind`, every field optional with its real
// system's default (src/control/registry/presets.ts), named after the real parameter in camelCase
// with the unit dropped (Eureka `leaseRenewalIntervalInSeconds` → `leaseRenewalInterval: 30s`).
// Relations within the section are checked here; whether a registry-outage has a registry is convert/sections.ts'.
import { z } from "zod";
import type { HealthCheckConfig } from "../../control/registry/activeHealthCheck.ts";
import {
  CONSUL_MIN_DEREGISTER_MS,
  REGISTRY_KINDS,
  type RegistrySpec,
} from "../../control/registry/presets.ts";
import { formatDuration } from "../../kernel/duration.ts";
import {
  CONSUL_DEFAULTS,
  CONSUL_INTERVAL_CHECK,
  consulHeartbeatIntervalMs,
  EUREKA_DEFAULTS,
  KUBERNETES_DEFAULTS,
  NACOS_DEFAULTS,
} from "../defaults.ts";
import { describeFound, duration, expecting, fields, integer } from "./leaves.ts";

const flag = (what: string) => z.boolean({ error: expecting(`true or false (${what})`) });
const fraction = (what: string) =>
  z
    .number({ error: expecting(what) })
    .min(0)
    .max(1);
const pushDelay = duration("nonnegative")
  .optional()
  .describe(
    "meshsim's: a pushed change reaches each proxy after U[0, pushDelay) (network, client, sidecar); default 100ms.",
  );

function kind<K extends (typeof REGISTRY_KINDS)[number], S extends z.core.$ZodLooseShape>(
  registryKind: K,
  shape: S,
) {
  return fields(`a ${registryKind} registry`, { kind: z.literal(registryKind), ...shape });
}

const eureka = kind("eureka", {
  leaseRenewalInterval: duration("positive")
    .optional()
    .describe("Client leaseRenewalIntervalInSeconds (30s)."),
  leaseExpirationDuration: duration("positive")
    .optional()
    .describe(
      "Client leaseExpirationDurationInSeconds (90s; a renewed lease really expires after twice this).",
    ),
  evictionInterval: duration("positive")
    .optional()
    .describe("Server evictionIntervalTimerInMs (60s)."),
  useReadOnlyResponseCache: flag("shouldUseReadOnlyResponseCache")
    .optional()
    .describe("Server shouldUseReadOnlyResponseCache (true)."),
  responseCacheUpdateInterval: duration("positive")
    .optional()
    .describe("Server responseCacheUpdateIntervalMs (30s)."),
  registryFetchInterval: duration("positive")
    .optional()
    .describe("Client registryFetchIntervalSeconds (30s)."),
  clientCacheTtl: duration("nonnegative")
    .optional()
    .describe("Spring Cloud LoadBalancer cache.ttl (35s); 0: no client-side cache."),
  enableSelfPreservation: flag("enableSelfPreservation")
    .optional()
    .describe("Server enableSelfPreservation (true)."),
  renewalPercentThreshold: z
    .number({ error: expecting("a fraction above 0, up to 1 (e.g. 0.85)") })
    .gt(0)
    .max(1)
    .optional()
    .describe("Server renewalPercentThreshold (0.85)."),
  expectedClientRenewalInterval: duration("positive")
    .optional()
    .describe("Server expectedClientRenewalIntervalSeconds (30s)."),
  renewalThresholdUpdateInterval: duration("positive")
    .optional()
    .describe("Server renewalThresholdUpdateIntervalMs (15m)."),
});

const nacos = kind("nacos", {
  heartBeatInterval: duration("positive")
    .optional()
    .describe("preserved.heart.beat.interval (5s)."),
  heartBeatTimeout: duration("positive")
    .optional()
    .describe("preserved.heart.beat.timeout (15s): unhealthy after this without a beat."),
  ipDeleteTimeout: duration("positive")
    .optional()
    .describe("preserved.ip.delete.timeout (30s): deleted after this without a beat."),
  beatCheckInterval: duration("positive")
    .optional()
    .describe("The server's ClientBeatCheckTask period (5s, fixed in Nacos)."),
  protectThreshold: fraction("a fraction from 0 to 1 (Nacos protectThreshold)")
    .optional()
    .describe("Service protectThreshold (0)."),
  pushTaskDelay: duration("nonnegative")
    .optional()
    .describe("nacos.naming.push.pushTaskDelay (500ms)."),
  pollInterval: duration("nonnegative")
    .optional()
    .describe("Client polling of subscribed services (10s); 0: push only."),
  pushDelay,
});

const consul = kind("consul", {
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
});

const kubernetes = kind("kubernetes", {
  period: duration("positive").optional().describe("Readiness probe periodSeconds (10s)."),
  timeout: duration("positive").optional().describe("Readiness probe timeoutSeconds (1s)."),
  failureThreshold: integer(1, "an integer ≥ 1")
    .optional()
    .describe("Readiness probe failureThreshold (3)."),
  successThreshold: integer(1, "an integer ≥ 1")
    .optional()
    .describe("Readiness probe successThreshold (1)."),
  plegRelistPeriod: duration("positive")
    .optional()
    .describe("Kubelet PLEG relist period (1s): how soon a dead container is noticed."),
  debounceAfter: duration("positive").optional().describe("Istio PILOT_DEBOUNCE_AFTER (100ms)."),
  debounceMax: duration("positive").optional().describe("Istio PILOT_DEBOUNCE_MAX (10s)."),
  pushDelay,
}).superRefine((k, ctx) => {
  const period = k.period ?? KUBERNETES_DEFAULTS.periodMs;
  const timeout = k.timeout ?? KUBERNETES_DEFAULTS.timeoutMs;
  if (timeout >= period) {
    const message = `must be shorter than the period (${formatDuration(period)}): the kubelet probes one at a time, found ${formatDuration(timeout)}`;
    ctx.addIssue({
      code: "custom",
      path: [k.timeout !== undefined ? "timeout" : "period"],
      input: timeout,
      message,
    });
  }
});

const KIND_WHAT = `a registry kind, one of ${REGISTRY_KINDS.join(", ")}`;

/** The `registry` root field: absent = no registry (every proxy always knows the true set). */
export const registrySchema = z
  .discriminatedUnion("kind", [eureka, nacos, consul, kubernetes], {
    error: (issue) => {
      if (issue.code !== "invalid_union")
        return expecting("a registry (a map with kind, e.g. { kind: eureka })")(issue);
      const found = (issue.input as Record<string, unknown> | undefined)?.kind;
      return found === undefined
        ? `is required; expected ${KIND_WHAT}`
        : `expected ${KIND_WHAT}, found ${describeFound(found)}`;
    },
  })
  .describe(
    "Service discovery: each proxy's own lagged view of the endpoints (Eureka, Nacos, Consul, Kubernetes + Istio).",
  );

export type RawRegistry = z.output<typeof registrySchema>;

/** A traffic policy's `healthCheck`: Envoy's four required fields, no defaults. */
export const healthCheckSchema = fields("an active health check", {
  interval: duration("positive").describe("Envoy interval: time between checks of each host."),
  timeout: duration("positive").describe("Envoy timeout: a check without an answer by then fails."),
  unhealthyThreshold: integer(1, "an integer ≥ 1").describe(
    "Envoy unhealthy_threshold: failed checks in a row before a host is unhealthy.",
  ),
  healthyThreshold: integer(1, "an integer ≥ 1").describe(
    "Envoy healthy_threshold: passed checks in a row before it is healthy again.",
  ),
});

export type RawHealthCheck = z.output<typeof healthCheckSchema>;

export function toHealthCheck(raw: RawHealthCheck): HealthCheckConfig {
  return {
    intervalMs: raw.interval,
    timeoutMs: raw.timeout,
    unhealthyThreshold: raw.unhealthyThreshold,
    healthyThreshold: raw.healthyThreshold,
  };
}

/** The section with every default filled in. */
export function toRegistry(raw: RawRegistry): RegistrySpec {
  switch (raw.kind) {
    case "eureka": {
      const d = EUREKA_DEFAULTS;
      return {
        kind: "eureka",
        leaseRenewalIntervalMs: raw.leaseRenewalInterval ?? d.leaseRenewalIntervalMs,
        leaseExpirationDurationMs: raw.leaseExpirationDuration ?? d.leaseExpirationDurationMs,
        evictionIntervalMs: raw.evictionInterval ?? d.evictionIntervalMs,
        useReadOnlyResponseCache: raw.useReadOnlyResponseCache ?? d.useReadOnlyResponseCache,
        responseCacheUpdateIntervalMs:
          raw.responseCacheUpdateInterval ?? d.responseCacheUpdateIntervalMs,
        registryFetchIntervalMs: raw.registryFetchInterval ?? d.registryFetchIntervalMs,
        clientCacheTtlMs: raw.clientCacheTtl ?? d.clientCacheTtlMs,
        enableSelfPreservation: raw.enableSelfPreservation ?? d.enableSelfPreservation,
        renewalPercentThreshold: raw.renewalPercentThreshold ?? d.renewalPercentThreshold,
        expectedClientRenewalIntervalMs:
          raw.expectedClientRenewalInterval ?? d.expectedClientRenewalIntervalMs,
        renewalThresholdUpdateIntervalMs:
          raw.renewalThresholdUpdateInterval ?? d.renewalThresholdUpdateIntervalMs,
      };
    }
    case "nacos": {
      const d = NACOS_DEFAULTS;
      return {
        kind: "nacos",
        heartBeatIntervalMs: raw.heartBeatInterval ?? d.heartBeatIntervalMs,
        heartBeatTimeoutMs: raw.heartBeatTimeout ?? d.heartBeatTimeoutMs,
        ipDeleteTimeoutMs: raw.ipDeleteTimeout ?? d.ipDeleteTimeoutMs,
        beatCheckIntervalMs: raw.beatCheckInterval ?? d.beatCheckIntervalMs,
        protectThreshold: raw.protectThreshold ?? d.protectThreshold,
        pushTaskDelayMs: raw.pushTaskDelay ?? d.pushTaskDelayMs,
        pollIntervalMs: raw.pollInterval ?? d.pollIntervalMs,
        pushDelayMs: raw.pushDelay ?? d.pushDelayMs,
      };
    }
    case "consul": {
      const d = CONSUL_DEFAULTS;
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
    }
    case "kubernetes": {
      const d = KUBERNETES_DEFAULTS;
      return {
        kind: "kubernetes",
        periodMs: raw.period ?? d.periodMs,
        timeoutMs: raw.timeout ?? d.timeoutMs,
        failureThreshold: raw.failureThreshold ?? d.failureThreshold,
        successThreshold: raw.successThreshold ?? d.successThreshold,
        plegRelistPeriodMs: raw.plegRelistPeriod ?? d.plegRelistPeriodMs,
        debounceAfterMs: raw.debounceAfter ?? d.debounceAfterMs,
        debounceMaxMs: raw.debounceMax ?? d.debounceMaxMs,
        pushDelayMs: raw.pushDelay ?? d.pushDelayMs,
      };
    }
  }
}
