// How stale each proxy's view of each service it calls is, measured against the truth (an
// instance is live when it passes readiness: ready and reachable). Per (proxy, service), from the
// proxy's first call to the service: known endpoints that are dead or unready ("stale"), live ones
// it does not know ("unknown"), their maxima and time-averages, and the longest any one instance
// stayed stale in the view (from when it went bad, or joined the view bad, to when it left the view
// or recovered). Counts change only when the truth or the view does, so this costs nothing per call.
import type { Instance } from "../../model/instance.ts";
import type { ProxyViewResult } from "../../result/discovery.ts";

/** Per instance: fine, a stale known endpoint, or a live one the view lacks. */
const Fine = 0;
const Stale = 1;
const Unknown = 2;

/** Entries kept per proxy and service in ProxyViewResult.timeline (a run's result stays small). */
export const TIMELINE_LIMIT = 1_000;

export class StalenessPair {
  stale = 0;
  unknown = 0;
  private staleMax = 0;
  private unknownMax = 0;
  private staleArea = 0;
  private unknownArea = 0;
  private lastAt: number;
  private readonly status: Uint8Array;
  private readonly staleSince: Float64Array;
  private longestStaleMs = 0;
  private readonly known: Uint8Array;
  /** Measured tries sent to instances that were dead or failed, or draining, when sent. */
  sentToDead = 0;
  sentToDraining = 0;
  private readonly timeline: [number, number, number][] = [];
  private timelineTruncated = false;

  constructor(
    /** The calling proxy's caller: a service name or `load:<name>`. */
    readonly source: string,
    readonly target: string,
    readonly proxyName: string,
    private readonly truth: Uint8Array,
    known: Uint8Array | null,
    private readonly attachedAt: number,
  ) {
    this.lastAt = attachedAt;
    this.known = known === null ? new Uint8Array(truth.length).fill(1) : Uint8Array.from(known);
    this.status = new Uint8Array(truth.length);
    this.staleSince = new Float64Array(truth.length).fill(NaN);
    for (let i = 0; i < truth.length; i++) this.update(i, attachedAt);
    this.timeline.push([attachedAt, this.stale, this.unknown]);
  }

  /** The proxy's view changed (null: it knows every instance). */
  setKnown(known: Uint8Array | null, now: number): void {
    for (let i = 0; i < this.known.length; i++) {
      const k = known === null ? 1 : known[i];
      if (k === this.known[i]) continue;
      this.known[i] = k;
      this.update(i, now);
    }
  }

  /** Instance `index` went live or stopped being live (the shared truth array already says so). */
  truthChanged(index: number, now: number): void {
    this.update(index, now);
  }

  private update(index: number, now: number): void {
    const known = this.known[index] === 1;
    const live = this.truth[index] === 1;
    const status = known && !live ? Stale : !known && live ? Unknown : Fine;
    const before = this.status[index];
    if (status === before) return;
    this.integrate(now);
    if (before === Stale) {
      this.stale--;
      this.longestStaleMs = Math.max(this.longestStaleMs, now - this.staleSince[index]);
      this.staleSince[index] = NaN;
    } else if (before === Unknown) this.unknown--;
    if (status === Stale) {
      this.stale++;
      this.staleSince[index] = now;
      if (this.stale > this.staleMax) this.staleMax = this.stale;
    } else if (status === Unknown) {
      this.unknown++;
      if (this.unknown > this.unknownMax) this.unknownMax = this.unknown;
    }
    this.status[index] = status;
    this.mark(now);
  }

  /** Records the counts at `now` on the timeline (before the first entry, the constructor records them). */
  private mark(now: number): void {
    const timeline = this.timeline;
    if (timeline.length === 0) return;
    const last = timeline[timeline.length - 1];
    if (last[0] === now) {
      last[1] = this.stale;
      last[2] = this.unknown;
      // Changes within one instant that end where the entry before began leave no entry of their own.
      const before = timeline.length > 1 ? timeline[timeline.length - 2] : null;
      if (before !== null && before[1] === last[1] && before[2] === last[2]) timeline.pop();
    } else if (last[1] !== this.stale || last[2] !== this.unknown) {
      if (timeline.length < TIMELINE_LIMIT) timeline.push([now, this.stale, this.unknown]);
      else this.timelineTruncated = true;
    }
  }

  private integrate(now: number): void {
    const dt = now - this.lastAt;
    this.staleArea += this.stale * dt;
    this.unknownArea += this.unknown * dt;
    this.lastAt = now;
  }

  /** The figures up to `now` (the end of the run). */
  result(now: number): ProxyViewResult {
    this.integrate(now);
    let longest = this.longestStaleMs;
    for (let i = 0; i < this.status.length; i++)
      if (this.status[i] === Stale) longest = Math.max(longest, now - this.staleSince[i]);
    const span = now - this.attachedAt;
    return {
      staleMax: this.staleMax,
      staleMean: span > 0 ? this.staleArea / span : 0,
      unknownMax: this.unknownMax,
      unknownMean: span > 0 ? this.unknownArea / span : 0,
      longestStaleMs: longest,
      timeline: this.timeline.map(([at, stale, unknown]) => [at, stale, unknown]),
      timelineTruncated: this.timelineTruncated,
    };
  }
}

/** The truth per service, and every (proxy, service) pair watching it. */
export class StalenessBook {
  private readonly truth: Uint8Array[];
  private readonly pairs: StalenessPair[][];

  constructor(services: readonly { readonly instances: readonly Instance[] }[]) {
    this.truth = services.map((s) =>
      Uint8Array.from(s.instances, (instance) => (instance.passesReadiness ? 1 : 0)),
    );
    this.pairs = services.map(() => []);
  }

  /** A new pair for a proxy's first call to `serviceIndex`, seeing `known`. */
  watch(
    source: string,
    target: string,
    serviceIndex: number,
    proxyName: string,
    known: Uint8Array | null,
    now: number,
  ): StalenessPair {
    const pair = new StalenessPair(source, target, proxyName, this.truth[serviceIndex], known, now);
    this.pairs[serviceIndex].push(pair);
    return pair;
  }

  /** The instance's phase or reachability changed: re-read whether it is live. */
  instanceChanged(instance: Instance, now: number): void {
    const truth = this.truth[instance.service.index];
    const live = instance.passesReadiness ? 1 : 0;
    if (truth[instance.index] === live) return;
    truth[instance.index] = live;
    for (const pair of this.pairs[instance.service.index]) pair.truthChanged(instance.index, now);
  }

  /** Every pair, by service then in the order they appeared. */
  all(): StalenessPair[] {
    return this.pairs.flat();
  }
}
