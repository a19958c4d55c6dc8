// Apache ZooKeeper with Curator service discovery in a scenario file: `registry: { kind: zookeeper,
// ... }`, the server's tickTime and the negotiated session timeout, which ZooKeeper keeps within
// minSessionTimeout = 2 × tickTime and maxSessionTimeout = 20 × tickTime (checked here).
// Built when a file has this section or kind (../deferred.ts), so other files never pay for it.
import type { z } from "zod";
import {
  ZOOKEEPER_MAX_SESSION_TICKS,
  ZOOKEEPER_MIN_SESSION_TICKS,
} from "../../../control/registry/presets.ts";
import { formatDuration } from "../../../kernel/duration.ts";
import { ZOOKEEPER_DEFAULTS as d } from "../../defaults.ts";
import { deferred } from "../deferred.ts";
import { duration } from "../leaves.ts";
import { type KindFormat, kindShape, pushDelay, type SpecOf } from "./format.ts";

/** Built when a file's registry is of this kind (../deferred.ts). */
const schema = deferred(() =>
  kindShape("zookeeper", {
    tickTime: duration("positive")
      .optional()
      .describe(
        "Server tickTime (2s): the session tracker's tick, and the unit of session bounds.",
      ),
    sessionTimeout: duration("positive")
      .optional()
      .describe(
        "The negotiated session timeout (40s: Curator's 60s request, capped at 20 ticks); from 2 to 20 ticks.",
      ),
    pushDelay,
    roundTrip: duration("nonnegative")
      .optional()
      .describe(
        "meshsim's: a Curator cache's read (getChildren, getData) from request to answer (10ms).",
      ),
  }).superRefine((zk, ctx) => {
    const tick = zk.tickTime ?? d.tickTimeMs;
    const timeout = zk.sessionTimeout ?? d.sessionTimeoutMs;
    const min = ZOOKEEPER_MIN_SESSION_TICKS * tick;
    const max = ZOOKEEPER_MAX_SESSION_TICKS * tick;
    if (timeout >= min && timeout <= max) return;
    const message = `must be from ${ZOOKEEPER_MIN_SESSION_TICKS} to ${ZOOKEEPER_MAX_SESSION_TICKS} ticks of tickTime ${formatDuration(tick)} (${formatDuration(min)} to ${formatDuration(max)}: ZooKeeper's minSessionTimeout and maxSessionTimeout; the server would negotiate it into that range), found ${formatDuration(timeout)}`;
    ctx.addIssue({
      code: "custom",
      path: [zk.sessionTimeout !== undefined ? "sessionTimeout" : "tickTime"],
      input: zk.sessionTimeout ?? zk.tickTime,
      message,
    });
  }),
);

export const zookeeper = {
  schema,
  toSpec(raw: z.output<typeof schema>): SpecOf<"zookeeper"> {
    return {
      kind: "zookeeper",
      tickTimeMs: raw.tickTime ?? d.tickTimeMs,
      sessionTimeoutMs: raw.sessionTimeout ?? d.sessionTimeoutMs,
      pushDelayMs: raw.pushDelay ?? d.pushDelayMs,
      roundTripMs: raw.roundTrip ?? d.roundTripMs,
    };
  },
} satisfies KindFormat<"zookeeper", z.output<typeof schema>>;
