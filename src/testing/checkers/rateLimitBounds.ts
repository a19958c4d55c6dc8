// Rate-limit bounds (Envoy's local rate limit token bucket, mesh/resilience/tokenBucket.ts): a
// caller's sidecar with `rateLimit.per: proxy` admits at most maxTokens + tokensPerFill × t /
// fillInterval calls to a service over the first t ms (the bucket starts full; the continuous law
// admits the most, the interval law no more). Counted: first tries that reached an instance (a
// call admitted but refused later, by the breaker or the pool, is not seen: the bound still holds).
// Left out: `per: instance` limits, and services a config push changes.
import type { Invariant } from "../invariant.ts";
import { pushesChange, resilienceOf } from "./components.ts";

export const rateLimitBounds: Invariant = {
  name: "rate-limit-bounds",
  watch(scenario) {
    const pushes = pushesChange(scenario);
    const admitted = new Map<string, number>();
    return {
      event(e) {
        if (pushes || e.type !== "sent" || e.try !== e.call) return null;
        const limit = resilienceOf(scenario, e.service)?.rateLimit ?? null;
        if (limit === null || limit.per !== "proxy") return null;
        const key = `${e.proxy}->${e.service}`;
        const n = (admitted.get(key) ?? 0) + 1;
        admitted.set(key, n);
        const bound =
          limit.maxTokens + Math.floor((e.atMs * limit.tokensPerFill) / limit.fillIntervalMs);
        if (n > bound)
          return {
            message: `${e.proxy} admitted ${n} calls to ${e.service} by ${e.atMs.toFixed(3)} ms; its token bucket allows ${bound} (maxTokens ${limit.maxTokens} + ${limit.tokensPerFill} per ${limit.fillIntervalMs} ms)`,
            request: e.request,
          };
        return null;
      },
    };
  },
};
