// Consistent hashing with bounded loads (Mirrokni et al., arXiv:1608.01350) as Envoy applies
// hash_balance_factor F: with A requests active, host i has slots max(1, ceil(ceil((A + 1)·F/100) · w_i/W))
// and is overloaded when its active count (this request not yet counted) exceeds them; Envoy then tries
// the other hosts in a hash-seeded shuffle, else the least loaded per slot. Leaves out retry attempts.
import { Mt19937 } from "../../kernel/mt19937.ts";
import { fmix32 } from "../../kernel/murmur3.ts";
import { type Ring, ringPosition } from "./ring.ts";

/** Envoy's cluster-wide slot count: ceil((totalActive + 1) · factorPercent / 100). */
export function clusterSlots(totalActive: number, factorPercent: number): number {
  return Math.floor(((totalActive + 1) * factorPercent + 99) / 100);
}

/** Envoy's per-host slots: max(1, ceil(clusterSlots · weight / weightSum)). */
export function hostSlots(slots: number, weight: number, weightSum: number): number {
  return Math.max(1, Math.ceil((slots * weight) / weightSum));
}

/** Checks Envoy's rule for `hash_balance_factor`: an integer percent >= 100. */
export function checkBalanceFactor(factorPercent: number): void {
  if (!Number.isInteger(factorPercent) || factorPercent < 100) {
    throw new Error(
      `hashBalanceFactor must be an integer percent >= 100 (e.g. 150), got ${factorPercent}`,
    );
  }
}

/** A reusable source of alternative hosts for one lookup: a host index per call, −1 when done. */
export interface Probe {
  next(): number;
}

/**
 * The first host, in the order `first` then `probe`, whose load is at most `slotsOf(host)` (Envoy's
 * test: pass slots − 1 for the paper's "load + 1 <= capacity"). If none is, the host with the least
 * load / slots, the earliest on ties. `first` is skipped if the probe yields it again. Allocates nothing.
 */
export function boundedPick(
  first: number,
  probe: Probe,
  load: ArrayLike<number>,
  slotsOf: (host: number) => number,
): number {
  const firstSlots = slotsOf(first);
  if (load[first] <= firstSlots) return first;
  let best = first;
  let bestFactor = load[first] / firstSlots;
  for (let host = probe.next(); host !== -1; host = probe.next()) {
    if (host === first) continue;
    const slots = slotsOf(host);
    if (load[host] <= slots) return host;
    const factor = load[host] / slots;
    if (factor < bestFactor) {
      best = host;
      bestFactor = factor;
    }
  }
  return best;
}

/**
 * Envoy's BoundedLoadHashingLoadBalancer over fixed host weights: each pick sums the active counts
 * (O(n), as Envoy's probe is) to get the cluster's slots, then runs `boundedPick`. Slots are computed
 * exactly from the raw weights, where Envoy multiplies by a normalised float weight.
 */
export class LoadBound {
  private readonly weightSum: number;
  private slots = 0;
  private readonly slotsOf = (host: number): number =>
    hostSlots(this.slots, this.weights[host], this.weightSum);

  constructor(
    private readonly weights: ArrayLike<number>,
    readonly factorPercent: number,
  ) {
    checkBalanceFactor(factorPercent);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) sum += weights[i];
    this.weightSum = sum;
  }

  pick(first: number, probe: Probe, active: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < active.length; i++) total += active[i];
    this.slots = clusterSlots(total, this.factorPercent);
    return boundedPick(first, probe, active, this.slotsOf);
  }
}

/**
 * Envoy's probe order (thread_aware_lb_impl.cc, BoundedLoadHashingLoadBalancer::chooseHost): all
 * hosts in a Fisher–Yates shuffle drawn from std::mt19937 seeded with the request's hash (its low 32
 * bits: mt19937 keeps seed mod 2^32), step i taking j = x / ⌊2^32 / (n − i)⌋ from a draw x, redrawn
 * while j >= n − i. So one key always probes the same sequence, and overflow scatters instead of
 * cascading onto the next host (arXiv:1908.08762). `murmur3` keeps meshsim's former draws (for
 * MURMUR3_32 tables): a Weyl sequence through murmur3's finaliser and ⌊u·k / 2^32⌋.
 */
export class ShuffleProbe implements Probe {
  private readonly order: Int32Array;
  private readonly rng = new Mt19937();
  private weyl = 0;
  private drawn = 0;

  constructor(
    readonly hostCount: number,
    private readonly murmur3 = false,
  ) {
    this.order = new Int32Array(hostCount);
  }

  /** Restarts the sequence for the hash whose low word is `hash`, and returns this. */
  start(hash: number): this {
    for (let i = 0; i < this.hostCount; i++) this.order[i] = i;
    if (this.murmur3) this.weyl = hash | 0;
    else this.rng.seed(hash);
    this.drawn = 0;
    return this;
  }

  next(): number {
    const i = this.drawn;
    if (i >= this.hostCount) return -1;
    const k = this.hostCount - i;
    let j = k;
    if (this.murmur3) {
      this.weyl = (this.weyl + 0x9e3779b9) | 0;
      j = Math.floor((fmix32(this.weyl) * k) / 4294967296);
    } else {
      // Envoy's uniform_int: x / (2^32 / k) in uint64 integer division, redrawn while >= k.
      const bucket = Math.floor(4294967296 / k);
      while (j >= k) j = Math.floor(this.rng.next() / bucket);
    }
    const host = this.order[i + j];
    this.order[i + j] = this.order[i];
    this.order[i] = host;
    this.drawn = i + 1;
    return host;
  }
}

/**
 * The paper's linear probe on a ring: the owners of the following points, clockwise, each host once
 * (Envoy does not do this; it shows the cascading overflow the shuffle avoids). Hosts with no point
 * on the ring are never offered.
 */
export class RingWalkProbe implements Probe {
  /** The lookup during which each host was last offered. */
  private readonly offeredAt: Int32Array;
  private lookup = 0;
  private position = 0;
  private steps = 0;

  constructor(
    private readonly ring: Ring,
    hostCount: number,
  ) {
    this.offeredAt = new Int32Array(hostCount);
  }

  /** Restarts the walk after the point that serves the hash (high, low), and returns this. */
  start(high: number, low: number): this {
    return this.startAt(ringPosition(this.ring, high, low));
  }

  /** Restarts the walk after point `position` (its owner counts as already offered). */
  startAt(position: number): this {
    this.lookup = (this.lookup + 1) | 0;
    this.position = position;
    this.offeredAt[this.ring.hosts[position]] = this.lookup;
    this.steps = 0;
    return this;
  }

  next(): number {
    const size = this.ring.hosts.length;
    while (++this.steps < size) {
      this.position = this.position + 1 === size ? 0 : this.position + 1;
      const host = this.ring.hosts[this.position];
      if (this.offeredAt[host] !== this.lookup) {
        this.offeredAt[host] = this.lookup;
        return host;
      }
    }
    return -1;
  }
}
