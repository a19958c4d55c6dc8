// Connection-pool bounds (Envoy's circuit-breaker thresholds as Istio's DestinationRule sets them,
// mesh/resilience/connectionPool.ts): one proxy never has more tries on the wire to a service than
// max_requests (`http2MaxRequests`), nor, under HTTP/1.1 where a request holds a connection, more
// than `maxConnections`. A try is on the wire from the moment it is sent until its proxy is done
// with it (answered, timed out, cancelled): `sent` and `tryEnded` events. Istio's default for every
// threshold is 2^32 − 1, so only the limits a scenario sets are checked. Left out: the pending
// queue's bound (a queued try shows no event until it leaves), and services a config push changes.
import type { Invariant } from "../invariant.ts";
import { pushesChange, resilienceOf } from "./components.ts";

const ENVOY_UNLIMITED = 2 ** 32 - 1;

export const connectionPoolBounds: Invariant = {
  name: "connection-pool-bounds",
  watch(scenario) {
    const pushes = pushesChange(scenario);
    /** `proxy->service` → tries on the wire now. */
    const onWire = new Map<string, number>();
    return {
      event(e) {
        if (pushes || (e.type !== "sent" && e.type !== "tryEnded")) return null;
        const key = `${e.proxy}->${e.service}`;
        const n = (onWire.get(key) ?? 0) + (e.type === "sent" ? 1 : -1);
        onWire.set(key, n);
        if (e.type === "tryEnded") {
          if (n < 0)
            return {
              message: `${e.proxy}: try ${e.try} to ${e.instance} ended, but no try to ${e.service} was on the wire`,
              request: e.request,
            };
          return null;
        }
        const pool = resilienceOf(scenario, e.service)?.connectionPool;
        if (pool === undefined) return null;
        const limits: [number, string][] = [
          [pool.maxRequests, "maxRequests (http2MaxRequests)"],
          [pool.maxConnections, "maxConnections (one request per HTTP/1.1 connection)"],
        ];
        for (const [limit, name] of limits)
          if (limit < ENVOY_UNLIMITED && n > limit)
            return {
              message: `${e.proxy} has ${n} tries on the wire to ${e.service}; ${name} is ${limit}`,
              request: e.request,
            };
        return null;
      },
    };
  },
};
