// The reference simulator (issue 22): the governed chain user → order → payment written by hand
// for this one model, the yardstick `npm run bench` measures meshsim against. An open Poisson load
// of end-user requests; per service 3 instances (1 in bare mode) of c = 4 async workers (a worker
// is free while the downstream call runs) with Exp(1 ms) service and an unbounded FIFO queue;
// 0.05 ms one way on every network leg. Governed mode adds meshsim's per-call work for the same
// scenario (bench/reference/governed-chain.yaml): per caller sidecar, round robin to user, ring
// hash on the userId key to order, least-request P2C to payment, and a resilience4j breaker per
// upstream; a 1% error (500) decided after each service time, which fails the call and skips its
// downstream call; a trace per request with spans per hop (tracing.ts); histograms per hop.
// Left out, as meshsim's cost only: keyed re-seeding per draw (one sequential stream per purpose
// here), monitoring (scrapes, Prometheus buckets), retry bookkeeping (nothing here is retriable).
// The yardstick of bench/baselines/ (their referenceSha256): changing any file here means
// re-recording them against the code they were recorded with (docs/performance.md).
import { Breaker, type Transition } from "./breaker.ts";
import { EventList } from "./eventList.ts";
import { Histogram } from "./histogram.ts";
import { Stream } from "./random.ts";
import { Ring, xxHash64Words } from "./ring.ts";
import { type ChainResult, summarise } from "./summary.ts";
import { SPAN_CLIENT, SPAN_SERVER, type Span, type Trace, Tracing } from "./tracing.ts";

export type ChainMode = "governed" | "bare";

export interface ChainOptions {
  mode: ChainMode;
  /** Expected end-user requests: the load runs for requests / rate ms (rounded to the ms). */
  requests: number;
  seed: number;
  /** Requests due before this are left out of the statistics (default 0). */
  warmupMs?: number;
}

export const CHAIN = {
  services: ["user", "order", "payment"],
  operations: ["getProfile", "create", "charge"],
  workers: 4,
  serviceMeanMs: 1,
  networkMs: 0.05,
  rho: 0.8,
  replicas: 3,
  errorRate: 0.01,
  keys: 100_000,
  traceRatio: 0.01,
} as const;

const HOPS = CHAIN.services.length;
const NET = CHAIN.networkMs;
const C = CHAIN.workers;

/** Offered end-user requests per ms: each instance's workers busy a fraction ρ of the time. */
export function chainRatePerMs(mode: ChainMode): number {
  const instances = mode === "governed" ? CHAIN.replicas : 1;
  return (CHAIN.rho * C * instances) / CHAIN.serviceMeanMs;
}

export class Request {
  trace: Trace | null = null;
  /** xxHash64 of the request's key, high and low words. */
  keyHigh = 0;
  keyLow = 0;
  constructor(
    readonly id: number,
    readonly scheduledAt: number,
    readonly measured: boolean,
  ) {}
}

/** One call of one hop: made by a caller's sidecar for a request, served by an instance. */
export class Call {
  instance!: Instance;
  sentAt = 0;
  arrivedAt = 0;
  client: Span | null = null;
  server: Span | null = null;
  constructor(
    readonly request: Request,
    readonly hop: number,
    readonly parent: Call | null,
    readonly proxy: Sidecar,
  ) {}
}

export class Instance {
  busy = 0;
  present = 0;
  requests = 0;
  busyArea = 0;
  presentArea = 0;
  lastChange = 0;
  private queue: Call[] = new Array(64);
  private head = 0;
  queued = 0;
  /** Its sidecar's upstream state for the next hop, or null on the last hop. */
  proxy: Sidecar | null = null;
  constructor(
    readonly id: string,
    readonly index: number,
    readonly hop: number,
  ) {}

  enqueue(call: Call): void {
    if (this.queued === this.queue.length) {
      const longer: Call[] = new Array(this.queue.length * 2);
      for (let i = 0; i < this.queued; i++)
        longer[i] = this.queue[(this.head + i) % this.queue.length];
      this.queue = longer;
      this.head = 0;
    }
    this.queue[(this.head + this.queued++) % this.queue.length] = call;
  }

  dequeue(): Call {
    const call = this.queue[this.head];
    this.head = (this.head + 1) % this.queue.length;
    this.queued--;
    return call;
  }
}

/** A caller's sidecar, for its one upstream service: its balancer state and breaker. */
export class Sidecar {
  readonly active: Int32Array;
  cursor = 0;
  constructor(
    readonly name: string,
    readonly hop: number,
    hosts: number,
    readonly rng: Stream,
    readonly breaker: Breaker | null,
  ) {
    this.active = new Int32Array(hosts);
  }
}

export class HopStats {
  requests = 0;
  errors = 0;
  readonly latency = new Histogram();
  readonly queueWait = new Histogram();
  readonly sent: Float64Array;
  constructor(instances: number) {
    this.sent = new Float64Array(instances);
  }
}

export class LoadStats {
  offered = 0;
  completed = 0;
  failed = 0;
  readonly latency = new Histogram();
}

export class Chain {
  readonly events = new EventList();
  readonly governed: boolean;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly instances: Instance[][] = [];
  readonly proxies: Sidecar[] = [];
  readonly client: Sidecar;
  readonly hops: HopStats[] = [];
  readonly load = new LoadStats();
  readonly transitions: Transition[] = [];
  readonly tracing: Tracing | null;
  private readonly ring: Ring | null;
  private readonly ratePerMs: number;
  private readonly arrivals: Stream;
  private readonly keys: Stream;
  private readonly service: Stream;
  private readonly errors: Stream;
  /** Per key: xxHash64 high and low words, valid where `keyHashed` is 1. */
  private readonly keyHighs = new Uint32Array(CHAIN.keys);
  private readonly keyLows = new Uint32Array(CHAIN.keys);
  private readonly keyHashed = new Uint8Array(CHAIN.keys);
  private readonly words = new Uint32Array(2);
  private nextId = 0;

  constructor(readonly options: ChainOptions) {
    const { seed, mode } = options;
    this.governed = mode === "governed";
    this.ratePerMs = chainRatePerMs(mode);
    this.durationMs = Math.round(options.requests / this.ratePerMs);
    this.warmupMs = options.warmupMs ?? 0;
    this.arrivals = new Stream(seed, 0);
    this.keys = new Stream(seed, 1);
    this.service = new Stream(seed, 2);
    this.errors = new Stream(seed, 3);
    const n = this.governed ? CHAIN.replicas : 1;
    let stream = 10;
    const proxyFor = (name: string, hop: number) => {
      const breaker = this.governed
        ? new Breaker(`breaker ${name}->${CHAIN.services[hop]}`, this.transitions)
        : null;
      const proxy = new Sidecar(name, hop, n, new Stream(seed, stream++), breaker);
      this.proxies.push(proxy);
      return proxy;
    };
    this.client = proxyFor("load/users/client-0", 0);
    for (let h = 0; h < HOPS; h++) {
      const row = Array.from(
        { length: n },
        (_, i) => new Instance(`${CHAIN.services[h]}-${i}`, i, h),
      );
      this.instances.push(row);
      this.hops.push(new HopStats(n));
    }
    for (let h = 0; h + 1 < HOPS; h++)
      for (const instance of this.instances[h]) instance.proxy = proxyFor(instance.id, h + 1);
    this.ring = this.governed ? new Ring(this.instances[1].map((i) => i.id)) : null;
    this.tracing = this.governed ? new Tracing(CHAIN.traceRatio, seed, HOPS) : null;
  }

  run(): void {
    this.events.at(this.arrivals.exp(1 / this.ratePerMs), () => this.arrive());
    this.events.run(this.durationMs);
  }

  /** An end-user request is due: send it, and schedule the next arrival. */
  private arrive(): void {
    const now = this.events.now;
    const next = now + this.arrivals.exp(1 / this.ratePerMs);
    if (next <= this.durationMs) this.events.at(next, () => this.arrive());
    const request = new Request(this.nextId++, now, now >= this.warmupMs);
    if (request.measured) this.load.offered++;
    if (this.governed) {
      const key = Math.floor(this.keys.next() * CHAIN.keys);
      this.hashKey(key);
      request.keyHigh = this.keyHighs[key];
      request.keyLow = this.keyLows[key];
      request.trace = this.tracing!.begin(request.id, now, operationOf(0));
    }
    this.send(this.client, request, null);
  }

  /** Hashes key `index`'s text once (meshsim caches per key too). */
  private hashKey(index: number): void {
    if (this.keyHashed[index] === 1) return;
    xxHash64Words(`userId-${index}`, this.words);
    this.keyHighs[index] = this.words[0];
    this.keyLows[index] = this.words[1];
    this.keyHashed[index] = 1;
  }

  /** The caller's sidecar sends a call for the proxy's hop: breaker, balancer, network. */
  private send(proxy: Sidecar, request: Request, parent: Call | null): void {
    const now = this.events.now;
    const hop = proxy.hop;
    const call = new Call(request, hop, parent, proxy);
    call.sentAt = now;
    const trace = request.trace;
    if (trace !== null) {
      const caller = parent === null ? trace.spans[0] : parent.server;
      call.client = this.tracing!.open(
        trace,
        caller,
        SPAN_CLIENT,
        operationOf(hop),
        proxy.name,
        now,
      );
    }
    if (proxy.breaker !== null && !proxy.breaker.tryAcquirePermission(now)) {
      if (trace !== null) this.tracing!.close(trace, call.client!, now, 503);
      return this.reply(call, 503);
    }
    const member = this.pick(proxy, request);
    proxy.active[member]++;
    call.instance = this.instances[hop][member];
    if (request.measured) this.hops[hop].sent[member]++;
    this.events.at(now + NET, () => this.reach(call));
  }

  private pick(proxy: Sidecar, request: Request): number {
    const n = proxy.active.length;
    if (n === 1) return 0;
    if (proxy.hop === 0) {
      if (proxy.cursor >= n) proxy.cursor = 0;
      return proxy.cursor++;
    }
    if (proxy.hop === 1) return this.ring!.lookup(request.keyHigh, request.keyLow);
    const a = Math.floor(proxy.rng.next() * n);
    const b = Math.floor(proxy.rng.next() * n);
    return proxy.active[b] < proxy.active[a] ? b : a;
  }

  /** The call crossed the network: a worker, or the queue. */
  private reach(call: Call): void {
    const instance = call.instance;
    const now = this.events.now;
    call.arrivedAt = now;
    const trace = call.request.trace;
    if (trace !== null)
      call.server = this.tracing!.open(
        trace,
        call.client,
        SPAN_SERVER,
        operationOf(call.hop),
        instance.id,
        now,
      );
    this.integrate(instance, now);
    instance.present++;
    if (instance.busy < C) this.start(instance, call);
    else instance.enqueue(call);
  }

  private start(instance: Instance, call: Call): void {
    const now = this.events.now;
    this.integrate(instance, now);
    instance.busy++;
    if (this.governed && call.request.measured)
      this.hops[call.hop].queueWait.record(now - call.arrivedAt);
    this.events.at(now + this.service.exp(CHAIN.serviceMeanMs), () => this.finishWork(call));
  }

  /** Service is over: an error answers 500 at once; else the next hop's call, or the answer. */
  private finishWork(call: Call): void {
    const instance = call.instance;
    this.release(instance);
    if (this.governed && this.errors.next() < CHAIN.errorRate) return this.answer(call, 500);
    if (instance.proxy === null) return this.answer(call, 200);
    this.send(instance.proxy, call.request, call);
  }

  /** A worker is free (async: also when the call moves on downstream): the next queued call starts. */
  private release(instance: Instance): void {
    this.integrate(instance, this.events.now);
    instance.busy--;
    if (instance.queued > 0) this.start(instance, instance.dequeue());
  }

  /** The instance answers the call; the answer crosses the network back to the caller's sidecar. */
  private answer(call: Call, status: number): void {
    const instance = call.instance;
    const now = this.events.now;
    this.integrate(instance, now);
    instance.present--;
    const request = call.request;
    if (request.measured) {
      instance.requests++;
      const stats = this.hops[call.hop];
      stats.requests++;
      if (status >= 400) stats.errors++;
      if (this.governed) stats.latency.record(now - call.arrivedAt);
    }
    if (request.trace !== null) this.tracing!.close(request.trace, call.server!, now, status);
    this.events.at(now + NET, () => this.receive(call, status));
  }

  /** The caller's sidecar gets the answer: counts, breaker, span; then the caller goes on. */
  private receive(call: Call, status: number): void {
    const now = this.events.now;
    const proxy = call.proxy;
    proxy.active[call.instance.index]--;
    if (proxy.breaker !== null) proxy.breaker.onResult(now, now - call.sentAt, status >= 500);
    const trace = call.request.trace;
    if (trace !== null) this.tracing!.close(trace, call.client!, now, status);
    this.reply(call, status);
  }

  /** The call's outcome goes to its caller: the instance that made it answers alike, or the request ends. */
  private reply(call: Call, status: number): void {
    if (call.parent !== null) return this.answer(call.parent, status);
    const request = call.request;
    const now = this.events.now;
    if (request.measured) {
      if (status >= 400) this.load.failed++;
      else {
        this.load.completed++;
        this.load.latency.record(now - request.scheduledAt);
      }
    }
    if (request.trace !== null) this.tracing!.finish(request.trace, now, status, request.measured);
  }

  /** Brings an instance's busy and present time up to `now` (for the summary at the run's end). */
  integrateTo(instance: Instance, now: number): void {
    this.integrate(instance, now);
  }

  /** Adds busy and present time since the last change (after warm-up) to the instance's totals. */
  private integrate(instance: Instance, now: number): void {
    const from = Math.max(instance.lastChange, this.warmupMs);
    if (now > from) {
      instance.busyArea += instance.busy * (now - from);
      instance.presentArea += instance.present * (now - from);
    }
    instance.lastChange = now;
  }
}

const OPERATION_IDS = CHAIN.services.map((s, h) => `${s}.${CHAIN.operations[h]}`);

function operationOf(hop: number): string {
  return OPERATION_IDS[hop];
}

/** Runs the chain once and summarises it. */
export function runChain(options: ChainOptions): ChainResult {
  const chain = new Chain(options);
  chain.run();
  return summarise(chain);
}
