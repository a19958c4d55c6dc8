// Netflix Eureka in a scenario file: `registry: { kind: eureka, ... }`, the server's and client's
// intervals, the read-only response cache, self-preservation, and Spring Cloud LoadBalancer's cache.
// Built when a file has this section or kind (../deferred.ts), so other files never pay for it.
import { z } from "zod";
import { EUREKA_DEFAULTS as d } from "../../defaults.ts";
import { deferred } from "../deferred.ts";
import { duration, expecting } from "../leaves.ts";
import { flag, type KindFormat, kindShape, type SpecOf } from "./format.ts";

/** Built when a file's registry is of this kind (../deferred.ts). */
const schema = deferred(() =>
  kindShape("eureka", {
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
  }),
);

export const eureka = {
  schema,
  toSpec(raw: z.output<typeof schema>): SpecOf<"eureka"> {
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
  },
} satisfies KindFormat<"eureka", z.output<typeof schema>>;
