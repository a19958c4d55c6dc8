// The retry limit (Envoy's `retries` circuit-breaker resource, mesh/resilience/retryBudget.ts): a
// proxy schedules a retry to a service only while its active retries are fewer than the limit at
// that moment: with a retry budget, max(trunc(budgetPercent% × (active + pending requests)),
// minRetryConcurrency); without one, `maxRetries`. Active requests are the proxy's tries on the
// wire to the service (`sent` less `tryEnded`); active retries count from the decision to retry
// (back-off included) until the retry's try ends (`retryCounted`). Envoy checks the limit only when
// a retry is admitted, so retries may outnumber it later when requests finish: that is allowed.
// Left out: HTTP/1.1 pools (`maxConnections` set), whose pending requests no event shows, and
// services a config push changes.
import type { Invariant } from "../invariant.ts";
import { pushesChange, resilienceOf } from "./components.ts";

const ENVOY_UNLIMITED = 2 ** 32 - 1;

export const retryBudget: Invariant = {
  name: "retry-budget",
  watch(scenario) {
    const pushes = pushesChange(scenario);
    const onWire = new Map<string, number>();
    const retries = new Map<string, number>();
    const add = (map: Map<string, number>, key: string, n: number) => {
      const v = (map.get(key) ?? 0) + n;
      map.set(key, v);
      return v;
    };
    return {
      event(e) {
        if (pushes) return null;
        if (e.type === "sent" || e.type === "tryEnded") {
          add(onWire, `${e.proxy}->${e.service}`, e.type === "sent" ? 1 : -1);
          return null;
        }
        if (e.type !== "retryCounted") return null;
        const key = `${e.proxy}->${e.service}`;
        if (!e.scheduled) {
          if (add(retries, key, -1) < 0)
            return {
              message: `${e.proxy} gave back a retry to ${e.service} it did not hold`,
              request: e.request,
            };
          return null;
        }
        const before = retries.get(key) ?? 0;
        add(retries, key, 1);
        const resilience = resilienceOf(scenario, e.service);
        if (resilience === null || resilience.connectionPool.maxConnections < ENVOY_UNLIMITED)
          return null;
        const active = onWire.get(key) ?? 0;
        const budget = resilience.retryBudget;
        const limit =
          budget === null
            ? resilience.maxRetries
            : Math.max(
                Math.trunc((budget.budgetPercent / 100) * active),
                budget.minRetryConcurrency,
              );
        if (before < limit) return null;
        const rule =
          budget === null
            ? `maxRetries is ${limit}`
            : `the budget allows max(trunc(${budget.budgetPercent}% × ${active} active), ${budget.minRetryConcurrency}) = ${limit}`;
        return {
          message: `${e.proxy} scheduled a retry to ${e.service} with ${before} retries already active; ${rule}`,
          request: e.request,
        };
      },
    };
  },
};
