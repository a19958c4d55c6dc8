// Nacos naming (1.x-style heartbeats) in a scenario file: `registry: { kind: nacos, ... }`, the
// beat and delete timeouts, protectThreshold, the push task delay and the client's polling.
// Built when a file has this section or kind (../deferred.ts), so other files never pay for it.
import type { z } from "zod";
import { NACOS_DEFAULTS as d } from "../../defaults.ts";
import { deferred } from "../deferred.ts";
import { duration } from "../leaves.ts";
import { fraction, type KindFormat, kindShape, pushDelay, type SpecOf } from "./format.ts";

/** Built when a file's registry is of this kind (../deferred.ts). */
const schema = deferred(() =>
  kindShape("nacos", {
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
  }),
);

export const nacos = {
  schema,
  toSpec(raw: z.output<typeof schema>): SpecOf<"nacos"> {
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
  },
} satisfies KindFormat<"nacos", z.output<typeof schema>>;
