// Breaker legality (resilience4j's CircuitBreakerStateMachine): each breaker moves only along
// CLOSED→OPEN→HALF_OPEN→(CLOSED|OPEN), from the state it was in; no try leaves a proxy while its
// breaker to that service is OPEN, and at most permittedNumberOfCallsInHalfOpenState tries leave
// in one HALF_OPEN episode. Left out: upstreams with a connection pool that can queue a try
// (a try let through earlier may leave the queue after the breaker opened), and services a config
// push changes (a pushed breaker starts CLOSED: any state → CLOSED is then legal).
import type { Invariant } from "../invariant.ts";
import { edgeOf, poolMayHold, pushesChange, resilienceOf } from "./components.ts";

const LEGAL: Record<string, readonly string[]> = {
  CLOSED: ["OPEN"],
  OPEN: ["HALF_OPEN"],
  HALF_OPEN: ["OPEN", "CLOSED"],
};

export const breakerLegality: Invariant = {
  name: "breaker-legality",
  watch(scenario) {
    const pushes = pushesChange(scenario);
    /** `proxy->service` → state and tries sent in the current HALF_OPEN episode. */
    const breakers = new Map<string, { state: string; halfOpenTries: number }>();
    const breakerOf = (key: string) => {
      let b = breakers.get(key);
      if (b === undefined) {
        b = { state: "CLOSED", halfOpenTries: 0 };
        breakers.set(key, b);
      }
      return b;
    };
    return {
      event(e) {
        if (e.type === "state") {
          const edge = edgeOf(e.component, "breaker");
          if (edge === null) return null;
          const b = breakerOf(`${edge[0]}->${edge[1]}`);
          if (e.from !== b.state)
            return {
              message: `${e.component} moved from ${e.from}, but it was ${b.state}`,
            };
          const legal = LEGAL[e.from]?.includes(e.to) || (pushes && e.to === "CLOSED");
          if (!legal)
            return { message: `${e.component}: ${e.from} -> ${e.to} is not a legal transition` };
          b.state = e.to;
          b.halfOpenTries = 0;
          return null;
        }
        if (e.type !== "sent" || pushes) return null;
        const resilience = resilienceOf(scenario, e.service);
        const breaker = resilience?.circuitBreaker ?? null;
        if (resilience === null || breaker === null || poolMayHold(resilience)) return null;
        const b = breakerOf(`${e.proxy}->${e.service}`);
        if (b.state === "OPEN")
          return {
            message: `${e.proxy} sent try ${e.try} to ${e.instance} while its breaker to ${e.service} was OPEN`,
            request: e.request,
          };
        if (b.state === "HALF_OPEN") {
          b.halfOpenTries++;
          const permitted = breaker.permittedNumberOfCallsInHalfOpenState;
          if (b.halfOpenTries > permitted)
            return {
              message: `${e.proxy} sent ${b.halfOpenTries} tries to ${e.service} in one HALF_OPEN episode; permittedNumberOfCallsInHalfOpenState is ${permitted}`,
              request: e.request,
            };
        }
        return null;
      },
    };
  },
};
