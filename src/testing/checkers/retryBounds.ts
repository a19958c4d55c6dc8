// Retry bounds (Istio retries, gRPC hedging): a call's tries that reach an instance number at most
// attempts + 1 (Istio counts retries after the first try), or hedging's maxAttempts; and its
// retries at most `attempts`. Tries refused before they left (breaker, pool) are not counted: the
// bound is on what the upstream sees. Left out: services a config push changes, and the retry
// budget's ratio at every moment (it needs each proxy's active requests, which no event carries).
import type { Invariant } from "../invariant.ts";
import { pushesChange, resilienceOf } from "./components.ts";

export const retryBounds: Invariant = {
  name: "retry-bounds",
  watch(scenario) {
    const pushes = pushesChange(scenario);
    const tries = new Map<number, number>();
    const retries = new Map<number, number>();
    return {
      event(e) {
        if (pushes || (e.type !== "sent" && !(e.type === "proxy" && e.event === "retries")))
          return null;
        const resilience = resilienceOf(scenario, e.service);
        if (resilience === null) return null;
        const hedging = resilience.hedging;
        if (e.type === "sent") {
          const n = (tries.get(e.call) ?? 0) + 1;
          tries.set(e.call, n);
          const bound = hedging !== null ? hedging.maxAttempts : resilience.retries.attempts + 1;
          if (n > bound)
            return {
              message: `call ${e.call} from ${e.proxy} to ${e.service} reached ${n} tries; at most ${bound} (${hedging !== null ? "hedging maxAttempts" : "retries.attempts + 1"})`,
              request: e.request,
            };
          return null;
        }
        const n = (retries.get(e.call) ?? 0) + 1;
        retries.set(e.call, n);
        const attempts = resilience.retries.attempts;
        if (hedging === null && n > attempts)
          return {
            message: `call ${e.call} from ${e.proxy} to ${e.service} was retried ${n} times; retries.attempts is ${attempts}`,
            request: e.request,
          };
        return null;
      },
    };
  },
};
