// What the sidecars' recovery state looks like now, per edge (calling source -> service): circuit
// breakers open and half-open (resilience4j's circuitbreaker.state gauge) and hosts ejected by
// outlier detection (Envoy's outlier_detection.ejections_active), summed over the caller's
// proxies. These are the scraper's gauges: observe/ reads them through this, never the breakers and
// detectors themselves. Upstreams a proxy has not called yet count nothing.
import type { Sidecar } from "./sidecar.ts";

/** One edge's gauges: `source` is the calling service's name or `load:<name>`. */
export interface RecoveryGauge {
  source: string;
  target: string;
  breakersOpen: number;
  breakersHalfOpen: number;
  ejectedHosts: number;
}

/** The recovery gauges of every proxy of a world (sidecars and load clients). */
export class ProxyGauges {
  constructor(private readonly proxies: readonly Sidecar[]) {}

  /** Per edge with a breaker or an outlier detector in use, in the order proxies first call it. */
  gauges(): RecoveryGauge[] {
    const byEdge = new Map<string, RecoveryGauge>();
    for (const proxy of this.proxies) {
      for (const upstream of proxy.upstreamsInUse()) {
        if (upstream.breaker === null && upstream.detector === null) continue;
        const source = proxy.source.name;
        const target = upstream.service.name;
        const key = `${source}->${target}`;
        let g = byEdge.get(key);
        if (g === undefined) {
          g = { source, target, breakersOpen: 0, breakersHalfOpen: 0, ejectedHosts: 0 };
          byEdge.set(key, g);
        }
        const state = upstream.breaker?.state;
        if (state === "OPEN") g.breakersOpen++;
        else if (state === "HALF_OPEN") g.breakersHalfOpen++;
        if (upstream.detector !== null)
          for (const flag of upstream.detector.ejected) g.ejectedHosts += flag;
      }
    }
    return [...byEdge.values()];
  }
}
