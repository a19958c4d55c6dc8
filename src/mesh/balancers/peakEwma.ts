// Finagle `Balancers.p2cPeakEwma` / Linkerd's balancer (tower `PeakEwma`): per endpoint a
// peak-sensitive EWMA of round-trip time. An observation rtt at `now`: if rtt > ewma then
// ewma = rtt (jump to the peak), else ewma = ewma·w + rtt·(1 − w) with w = e^(−Δt/τ), Δt = now −
// last update, τ = `decayTimeMs` (default 10 s). Hosts start at `defaultRttMs` (Linkerd, 30 ms).
//
// cost = ewma × (pending + 1), pending = this proxy's active requests to the host. Reading a cost
// first decays the ewma to `now` as an observation of rtt 0 (Finagle's `get()` calls `observe(0.0)`,
// tower's `load()` calls `decay()`): ewma ← ewma·e^(−Δt/τ) and the update time becomes now. The
// read is therefore part of the state; only the two hosts drawn by a pick are read. A host whose
// ewma is 0 but has requests pending costs 2^47 + pending (Finagle's penalty), so zero-latency
// hosts are still ordered by load. Every answer is observed, failed or not (as Finagle).
// Pick: P2C over two *distinct* hosts drawn uniformly (Finagle); lower cost wins, a tie goes to the
// lower index. Weights are ignored. Left out: Finagle's panic mode and health-aware re-picks.
import type { Rng } from "../../kernel/random.ts";
import type { Balancer, BalancerFactory, ClusterHosts, PickRequest } from "./balancer.ts";

/** The defaults (Finagle's τ, Linkerd's default_rtt) are in scenario/defaults.ts. */
export interface PeakEwmaConfig {
  /** τ of the decay, in ms: > 0 (Finagle `decayTime`, Linkerd `decay`). */
  readonly decayTimeMs: number;
  /** The ewma of a host never yet observed, in ms: >= 0 (Linkerd `default_rtt`). */
  readonly defaultRttMs: number;
}

/** Finagle's `Long.MaxValue >> 16`: the cost floor of a host with no latency history but load. */
const PENALTY = 2 ** 47;

export function createPeakEwma(config: PeakEwmaConfig): BalancerFactory {
  const tau = config.decayTimeMs;
  const defaultRtt = config.defaultRttMs;
  if (!(tau > 0 && Number.isFinite(tau)))
    throw new Error(`peak-ewma decayTimeMs must be a positive finite number, got ${tau}`);
  if (!(defaultRtt >= 0 && Number.isFinite(defaultRtt))) {
    throw new Error(`peak-ewma defaultRttMs must be a finite number >= 0, got ${defaultRtt}`);
  }
  return (): Balancer => new PeakEwmaBalancer(tau, defaultRtt);
}

/** The per-proxy state; exported for tests that script observations. */
export class PeakEwmaBalancer implements Balancer {
  readonly policy = "peak-ewma";
  /** Per host: the estimate and the time of its last update. Empty until the first pick. */
  private ewma = new Float64Array(0);
  private stamp = new Float64Array(0);

  constructor(
    private readonly tau: number,
    private readonly defaultRtt: number,
  ) {}

  pick(hosts: ClusterHosts, rng: Rng, request: PickRequest): number {
    const n = hosts.endpoints.length;
    if (n !== this.ewma.length) this.resize(n, request.now);
    if (n === 1) return 0;
    const first = Math.floor(rng.next() * n);
    let second = Math.floor(rng.next() * (n - 1));
    if (second >= first) second++;
    const a = Math.min(first, second);
    const b = Math.max(first, second);
    return this.cost(b, hosts.active[b], request.now) < this.cost(a, hosts.active[a], request.now)
      ? b
      : a;
  }

  onEnd(index: number, latencyMs: number, _ok: boolean, now: number): void {
    this.observe(index, latencyMs, now);
  }

  /** The cost of host `index` at `now` with `pending` active requests; decays its ewma to now. */
  cost(index: number, pending: number, now: number): number {
    this.observe(index, 0, now);
    const ewma = this.ewma[index];
    return ewma === 0 && pending !== 0 ? PENALTY + pending : ewma * (pending + 1);
  }

  /** The stored ewma of host `index` (as of its last update, not decayed to now). */
  estimate(index: number): number {
    return this.ewma[index];
  }

  /** One rtt observation at `now`: jump to a peak, else decay toward rtt by e^(−Δt/τ). */
  observe(index: number, rtt: number, now: number): void {
    const elapsed = Math.max(now - this.stamp[index], 0);
    const ewma = this.ewma[index];
    if (rtt > ewma) {
      this.ewma[index] = rtt;
    } else {
      const w = Math.exp(-elapsed / this.tau);
      this.ewma[index] = ewma * w + rtt * (1 - w);
    }
    this.stamp[index] = now;
  }

  /**
   * The first pick, or a changed host set: known hosts keep their state, new ones start at the
   * default estimate decaying from `now` (tower stamps an endpoint's default when it joins).
   */
  private resize(n: number, now: number): void {
    const ewma = new Float64Array(n).fill(this.defaultRtt);
    const stamp = new Float64Array(n).fill(now);
    const kept = Math.min(n, this.ewma.length);
    ewma.set(this.ewma.subarray(0, kept));
    stamp.set(this.stamp.subarray(0, kept));
    this.ewma = ewma;
    this.stamp = stamp;
  }
}
