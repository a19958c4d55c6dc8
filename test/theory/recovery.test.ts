// Statistical tests of the proxies' fault recovery (src/mesh/exchange.ts) against closed forms:
// retries on independent failures (a geometric number of tries), a client timeout on an M/M/1
// queue without cancellation (P(sojourn > T)) and with it (M/M/1+D, impatience on the wait), and
// hedging at the 95th percentile of a two-branch mixture with no queueing (a product of tails).
// The rule of test/theory/queueing.test.ts holds: when one of these fails, the simulator is wrong
// until shown otherwise; never widen a tolerance.
//
// Tolerances. A statistic is accepted when |mean over seeds − theory| < 4·sd/sqrt(n), sd being its
// spread across the n seeds (each seed one long run, so autocorrelation is in the spread); a
// reported quantile adds a floor of 0.4% of theory (src/observe/histogram.ts). Network latency is
// 0, so a load's latency is the time from arrival to answer. Each load stops a little before its
// run does, so that every request ends and the counts below are exact identities. The comment
// above each check gives the numbers observed when it was written (ms, fractions).
// Set MESHSIM_THEORY_VERBOSE=1 to print every observed statistic.

import { describe, expect, it } from "vitest";
import { constant, exponential, mixture } from "../../src/kernel/distributions.ts";
import { LatencyHistogram } from "../../src/observe/histogram.ts";
import type { EdgeResult, LoadResult, RunResult, ServiceResult } from "../../src/result/run.ts";
import { summarise } from "../../src/run/result.ts";
import { buildWorld } from "../../src/scenario/build.ts";
import type { ResilienceSpec, RetrySpec, Scenario } from "../../src/scenario/types.ts";
import { poissonLoad, type StationOptions, scenario, station } from "../helpers/scenarios.ts";
import { seedsUpTo } from "../helpers/stats.ts";
import { cachedRuns, expectNearTheory, fmt, seedText } from "../helpers/theory.ts";

/** Relative error of a reported quantile: half a bucket, geometrically (src/observe/histogram.ts). */
const QUANTILE_ERROR = 0.004;

const runsOf = cachedRuns();

const S = 1000; // ms per second
const load = (run: RunResult): LoadResult => run.load.customers;
const server = (run: RunResult): ServiceResult => run.services.server;
const edge = (run: RunResult): EdgeResult => run.edges["load:customers->server"];
/** Requests that ended (every one does: each load stops before its run). */
const ended = (run: RunResult): number => load(run).completed + load(run).failed;

/** No retries; the back-off is Istio's, and unused. */
const NO_RETRIES: RetrySpec = {
  attempts: 0,
  retryOn: ["5xx"],
  perTryTimeoutMs: null,
  backoff: { baseMs: 25, maxMs: 250, jitter: "full" },
};

/**
 * One service called straight by one Poisson load of `ratePerS`, which stops `drainS` before the
 * run ends; `resilience` goes over Istio's defaults on the load's edge.
 */
function oneHop(o: {
  serviceTime: StationOptions["serviceTime"];
  instances?: number;
  concurrency: number;
  errorRate?: number;
  resilience: Partial<ResilienceSpec>;
  ratePerS: number;
  warmupS: number;
  loadS: number;
  drainS: number;
}): Scenario {
  return scenario({
    services: [
      station({
        instances: o.instances,
        concurrency: o.concurrency,
        serviceTime: o.serviceTime,
        errorRate: o.errorRate,
        resilience: o.resilience,
      }),
    ],
    load: [{ ...poissonLoad(o.ratePerS), durationMs: o.loadS * S }],
    durationMs: (o.loadS + o.drainS) * S,
    warmupMs: o.warmupS * S,
  });
}

/** Every request ended, and the load's failures sum to its failed count. */
function expectAllEnded(run: RunResult): void {
  const l = load(run);
  expect(l.inFlight, `seed ${run.seed}`).toBe(0);
  expect(
    Object.values(l.failures).reduce((s, n) => s + n, 0),
    `seed ${run.seed}`,
  ).toBe(l.failed);
}

// ---------------------------------------------------------------------------------------------
// Retries on independent failures. Each try fails with probability q, by a keyed draw at the try's
// own call site (try k >= 1 at childSite(site, salt + k)), so tries are independent Bernoulli
// trials: with up to N tries (attempts = N − 1 retries), a request makes Σ_{k<N} q^k =
// (1 − q^N)/(1 − q) tries on average and succeeds with probability 1 − q^N. One constant 1 ms
// service time and 1000 slots: no queueing, so back-offs change nothing but timing. Each seed
// sends about 50 000 requests; the longest back-off chain (24 + 74 + 174 ms) ends well within the
// 2 s drain.

const Q = 0.3;
const RETRY_SEEDS = seedsUpTo(10);

function runsOfRetries(tries: number): RunResult[] {
  const retries: RetrySpec = {
    attempts: tries - 1,
    retryOn: ["5xx"],
    perTryTimeoutMs: null,
    backoff: { baseMs: 25, maxMs: 250, jitter: "full" },
  };
  return runsOf(`retries ${tries}`, RETRY_SEEDS, () =>
    oneHop({
      serviceTime: constant(1),
      concurrency: 1000,
      errorRate: Q,
      resilience: { retries },
      ratePerS: 1000,
      warmupS: 0,
      loadS: 50,
      drainS: 2,
    }),
  );
}

describe("retries on independent failures against the geometric law", () => {
  const seeds = seedText(RETRY_SEEDS);
  for (const n of [2, 4]) {
    const triesPerRequest = (1 - Q ** n) / (1 - Q);
    const success = 1 - Q ** n;

    // N = 2: observed mean 1.300725, sd 0.00110 (theory 1.3).
    // N = 4: observed mean 1.417111, sd 0.00243 (theory 1.417).
    it(`with error rate ${Q} and up to ${n} tries, a request makes (1 − q^N)/(1 − q) = ${fmt(triesPerRequest)} tries on average (${seeds})`, () => {
      expectNearTheory(
        `${n} tries: tries per request`,
        runsOfRetries(n).map((r) => edge(r).proxy.tries / ended(r)),
        triesPerRequest,
      );
    });

    // N = 2: observed mean 0.910405, sd 0.00077 (theory 0.91).
    // N = 4: observed mean 0.992124, sd 0.00060 (theory 0.9919).
    it(`with error rate ${Q} and up to ${n} tries, a request succeeds with probability 1 − q^N = ${fmt(success)} (${seeds})`, () => {
      expectNearTheory(
        `${n} tries: success fraction`,
        runsOfRetries(n).map((r) => load(r).completed / ended(r)),
        success,
      );
    });

    it(`with up to ${n} tries, every try is a first try or a retry, reaches the server and is answered; failures are the last try's 500 (${seeds})`, () => {
      for (const r of runsOfRetries(n)) {
        expectAllEnded(r);
        const p = edge(r).proxy;
        expect(p.tries, `seed ${r.seed}`).toBe(ended(r) + p.retries);
        expect(server(r).requests, `seed ${r.seed}`).toBe(p.tries);
        expect(load(r).failures, `seed ${r.seed}`).toEqual({ "500": load(r).failed });
        expect(p.timeouts + p.hedges + p.retryOverflows, `seed ${r.seed}`).toBe(0);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// A client timeout T on an M/M/1 queue: λ = 60 per second, exponential service of mean 10 ms
// (ρ = 0.6), T = 50 ms, no retries. Without cancellation the server keeps every call, so the
// queue is still M/M/1 and a request times out exactly when its sojourn, exponential of rate
// μ − λ, exceeds T: the fraction e^(−(μ−λ)T) = e^−2. The answered ones are the sojourns below T.
//
// With `cancelOnTimeout` a call whose deadline passes while it waits is dropped at dequeue, and
// one already in service runs to its end (src/model/instance.ts): M/M/1+D with patience T on the
// wait. An arrival joins the work in the server iff the virtual wait V < T; by level crossing V
// has an atom c at 0 and density cλ·e^(−(μ−λ)x) on (0, T), cλ·e^(−(μ−λ)T)·e^(−μ(x−T)) above, so
//   1/c = 1 + ρ(1 − e^(−(μ−λ)T))/(1 − ρ) + ρ·e^(−(μ−λ)T),
// a fraction c·ρ·e^(−(μ−λ)T) of arrivals never starts, and the timed-out fraction (those with
// V ≥ T, plus those with V < T whose service outlasts T − V) is c·(1 + ρ)·e^(−(μ−λ)T).
// M/M/1 at ρ = 0.6 relaxes in about 1/(μ(1 − √ρ)²) ≈ 0.2 s: the warm-up is 2 s. Each seed sends
// about 120 000 requests and drains for 1 s.

const TIMEOUT = {
  lambda: 0.06,
  mu: 0.1,
  timeoutMs: 50,
  seeds: seedsUpTo(10),
  warmupS: 2,
  loadS: 2000,
  drainS: 1,
};

function runsOfTimeout(cancelOnTimeout: boolean): RunResult[] {
  const t = TIMEOUT;
  return runsOf(`timeout, cancel ${cancelOnTimeout}`, t.seeds, () =>
    oneHop({
      serviceTime: exponential(1 / t.mu),
      concurrency: 1,
      resilience: { timeoutMs: t.timeoutMs, cancelOnTimeout, retries: NO_RETRIES },
      ratePerS: t.lambda * S,
      warmupS: t.warmupS,
      loadS: t.loadS,
      drainS: t.drainS,
    }),
  );
}

const timedOut = (run: RunResult): number => (load(run).failures["504"] ?? 0) / ended(run);
/** Utilisation is busy time over the measured window; arrivals stop `drainS` before it ends. */
const ARRIVAL_SHARE =
  (TIMEOUT.loadS - TIMEOUT.warmupS) / (TIMEOUT.loadS + TIMEOUT.drainS - TIMEOUT.warmupS);

describe("a client timeout on M/M/1 without cancellation against P(sojourn > T)", () => {
  const { lambda, mu, timeoutMs: T } = TIMEOUT;
  const gap = mu - lambda;
  const rho = lambda / mu;
  const seeds = seedText(TIMEOUT.seeds);
  const beyond = Math.exp(-gap * T);
  const answeredMean = 1 / gap - (T * beyond) / (1 - beyond);

  // Observed mean 0.135344, sd 0.00311 (theory 0.135335).
  it(`at ρ = ${rho} with T = ${T} ms, a fraction e^(−(μ−λ)T) = ${fmt(beyond)} of requests time out with 504 (${seeds})`, () => {
    expectNearTheory("timed-out fraction, no cancel", runsOfTimeout(false).map(timedOut), beyond);
  });

  // The answered requests are the sojourns below T: E[S | S < T] = 1/(μ−λ) − T·e^(−(μ−λ)T)/(1 − e^(−(μ−λ)T)).
  // Observed mean 17.1712 ms, sd 0.0894 (theory 17.1741 ms).
  it(`at ρ = ${rho} with T = ${T} ms, the answered requests take E[sojourn | sojourn < T] = ${fmt(answeredMean)} ms on average (${seeds})`, () => {
    expectNearTheory(
      "answered mean, no cancel",
      runsOfTimeout(false).map((r) => load(r).latencyMs.mean),
      answeredMean,
    );
  });

  // Observed mean 0.599263, sd 0.00232 (theory 0.6 × 1998/1999 = 0.599700).
  it(`at ρ = ${rho} with T = ${T} ms, the server still does all the work: busy λ/μ = ${rho} of the arrival window (${seeds})`, () => {
    expectNearTheory(
      "utilisation, no cancel",
      runsOfTimeout(false).map((r) => server(r).utilization),
      rho * ARRIVAL_SHARE,
    );
  });
});

describe("a client timeout on M/M/1 with cancellation against M/M/1+D", () => {
  const { lambda, mu, timeoutMs: T } = TIMEOUT;
  const gap = mu - lambda;
  const rho = lambda / mu;
  const seeds = seedText(TIMEOUT.seeds);
  const beyond = Math.exp(-gap * T);
  const c = 1 / (1 + (rho * (1 - beyond)) / (1 - rho) + rho * beyond);
  const neverStarted = c * rho * beyond;
  const timedOutTheory = c * (1 + rho) * beyond;

  it(`a timeout without cancelOnTimeout leaves the server answering every call; with it, the server drops the timed-out ones (${seeds})`, () => {
    for (const r of runsOfTimeout(false)) {
      expectAllEnded(r);
      expect(server(r).requests, `seed ${r.seed}`).toBe(load(r).offered);
      expect(edge(r).proxy.timeouts, `seed ${r.seed}`).toBe(load(r).failures["504"]);
    }
    for (const r of runsOfTimeout(true)) {
      expectAllEnded(r);
      // Only calls answered in time reach the caller; cancelled ones, queued or running, are not answered.
      expect(server(r).requests, `seed ${r.seed}`).toBe(load(r).completed);
      expect(load(r).failures, `seed ${r.seed}`).toEqual({ "504": load(r).failed });
      expect(edge(r).proxy.timeouts, `seed ${r.seed}`).toBe(load(r).failed);
      expect(server(r).requests, `seed ${r.seed}`).toBeLessThan(load(r).offered);
    }
  });

  // Observed mean 0.090937, sd 0.00149 (theory 0.0910506).
  it(`at ρ = ${rho} with T = ${T} ms, a fraction c(1 + ρ)·e^(−(μ−λ)T) = ${fmt(timedOutTheory)} of requests time out (${seeds})`, () => {
    expectNearTheory(
      "timed-out fraction, cancel",
      runsOfTimeout(true).map(timedOut),
      timedOutTheory,
    );
  });

  // c = 0.420486, cρ·e^(−(μ−λ)T) = 0.034144. Observed mean 0.578830, sd 0.00217 (theory
  // 0.579514 × 1998/1999 = 0.579224).
  it(`at ρ = ${rho} with T = ${T} ms, the dropped calls never start: the server is busy ρ(1 − cρ·e^(−(μ−λ)T)) = ${fmt(rho * (1 - neverStarted))} of the arrival window (${seeds})`, () => {
    expectNearTheory(
      "utilisation, cancel",
      runsOfTimeout(true).map((r) => server(r).utilization),
      rho * (1 - neverStarted) * ARRIVAL_SHARE,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Hedging at the 95th percentile ("The Tail at Scale"): service time X = mix(0.9: exp(10 ms),
// 0.1: exp(100 ms)), 2 instances of 1000 slots (no queueing), hedging after d = p95 of X with at
// most 2 copies and the loser cancelled. The hedge's service time is a keyed draw at its own site,
// independent of the first copy's, so for t > d the answer is later than t iff both are:
// P(L > t) = P(X > t)·P(X > t − d); for t <= d, P(L > t) = P(X > t). Each seed sends about 200 000
// requests.

const HEDGE = { seeds: seedsUpTo(10), ratePerS: 1000, loadS: 200, drainS: 2 };
const MIX = [
  { weight: 0.9, meanMs: 10 },
  { weight: 0.1, meanMs: 100 },
];
const serviceTail = (t: number): number =>
  t <= 0 ? 1 : MIX.reduce((s, p) => s + p.weight * Math.exp(-t / p.meanMs), 0);

/** The t with tail(t) = p, for a decreasing tail, by bisection to 1e-12 ms. */
function tailQuantile(tail: (t: number) => number, p: number): number {
  let low = 0;
  let high = 1;
  while (tail(high) > p) high *= 2;
  while (high - low > 1e-12) {
    const mid = (low + high) / 2;
    if (tail(mid) > p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

const HEDGE_DELAY_MS = tailQuantile(serviceTail, 0.05);
const hedgedTail = (t: number): number =>
  t <= HEDGE_DELAY_MS ? serviceTail(t) : serviceTail(t) * serviceTail(t - HEDGE_DELAY_MS);

/**
 * E[L] = ∫ P(L > t) dt = Σ_i w_i m_i (1 − e^(−d/m_i)) + Σ_{i,j} w_i w_j e^(−d/m_i) / (1/m_i + 1/m_j),
 * the first sum over t < d, the second over t > d.
 */
function hedgedMean(): number {
  const d = HEDGE_DELAY_MS;
  let mean = 0;
  for (const a of MIX) {
    mean += a.weight * a.meanMs * (1 - Math.exp(-d / a.meanMs));
    for (const b of MIX)
      mean += (a.weight * b.weight * Math.exp(-d / a.meanMs)) / (1 / a.meanMs + 1 / b.meanMs);
  }
  return mean;
}

/**
 * The number of values below `bound` among `count` recorded in a histogram whose `quantile(q)` is
 * the value of rank max(1, ceil(q·count)), as its bucket's midpoint: the largest rank whose
 * quantile is below `bound`, by bisection. Exact when `bound` is a bucket edge, as a power of two
 * is (128 buckets per octave), since no bucket then straddles it.
 */
function countBelow(count: number, quantile: (q: number) => number, bound: number): number {
  let low = 0; // rank known to be below (0: none)
  let high = count + 1; // rank known not to be (or past the end)
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (mid <= count && quantile((mid - 0.5) / count) < bound) low = mid;
    else high = mid;
  }
  return low;
}

/** Tail thresholds: powers of two, so bucket edges; 64 ms is below d, 128 and 256 ms above. */
const TAIL_POINTS_MS = [64, 128, 256];

interface HedgeRun {
  result: RunResult;
  /** P(L > t) for each of TAIL_POINTS_MS, counted exactly off the load's latency histogram. */
  tails: number[];
}

const hedgeCache = new Map<string, HedgeRun[]>();

function runsOfHedging(hedged: boolean): HedgeRun[] {
  const key = hedged ? "hedged" : "plain";
  const cached = hedgeCache.get(key);
  if (cached !== undefined) return cached;
  const s = oneHop({
    serviceTime: mixture(MIX.map((p) => ({ weight: p.weight, dist: exponential(p.meanMs) }))),
    instances: 2,
    concurrency: 1000,
    resilience: {
      retries: NO_RETRIES,
      hedging: hedged ? { delayMs: HEDGE_DELAY_MS, maxAttempts: 2, cancelLosers: true } : null,
    },
    ratePerS: HEDGE.ratePerS,
    warmupS: 0,
    loadS: HEDGE.loadS,
    drainS: HEDGE.drainS,
  });
  const runs = HEDGE.seeds.map((seed) => {
    const world = buildWorld(s, seed);
    const reason = world.scheduler.run(s.durationMs, s.maxEvents);
    const h = world.stats.loads[0].latency;
    const tails = TAIL_POINTS_MS.map(
      (t) => 1 - countBelow(h.count, (q) => h.quantile(q), t) / h.count,
    );
    return { result: summarise(world, reason === "event-cap" ? "event-cap" : "duration"), tails };
  });
  hedgeCache.set(key, runs);
  return runs;
}

describe("hedging at the 95th percentile against the product of tails", () => {
  const d = HEDGE_DELAY_MS;
  const seeds = seedText(HEDGE.seeds);
  const p999 = tailQuantile(hedgedTail, 0.001);
  const plainP999 = tailQuantile(serviceTail, 0.001);

  it(`countBelow counts values under a bucket edge exactly: 3 of 6 under 64 ms, 5 under 128 ms, 1 (the zero) under 2^-30 ms, 6 under 256 ms`, () => {
    const h = new LatencyHistogram();
    for (const v of [63.99, 64, 10, 127.9, 128, 0]) h.record(v);
    const q = (p: number) => h.quantile(p);
    expect(countBelow(6, q, 64)).toBe(3);
    expect(countBelow(6, q, 128)).toBe(5);
    expect(countBelow(6, q, 2 ** -30)).toBe(1); // the zero
    expect(countBelow(6, q, 256)).toBe(6);
  });

  // Observed mean 0.049933, sd 0.00076 (theory 0.05).
  it(`hedging after d = p95 = ${fmt(d)} ms sends a second copy for a fraction P(X > d) = 0.05 of requests (${seeds})`, () => {
    for (const { result: r } of runsOfHedging(true)) {
      expectAllEnded(r);
      expect(load(r).failed, `seed ${r.seed}`).toBe(0);
      expect(edge(r).proxy.tries, `seed ${r.seed}`).toBe(ended(r) + edge(r).proxy.hedges);
      // The loser is cancelled, so the server answers each request once.
      expect(server(r).requests, `seed ${r.seed}`).toBe(ended(r));
    }
    expectNearTheory(
      "hedge fraction",
      runsOfHedging(true).map(({ result: r }) => edge(r).proxy.hedges / ended(r)),
      0.05,
    );
  });

  // Observed mean 14.7198 ms, sd 0.0601 (theory 14.7212 ms).
  it(`hedging after d = p95 gives a mean latency of ∫ P(X > t)·P(X > t − d) dt = ${fmt(hedgedMean())} ms (${seeds})`, () => {
    expectNearTheory(
      "hedged mean",
      runsOfHedging(true).map(({ result: r }) => load(r).latencyMs.mean),
      hedgedMean(),
    );
  });

  // t = 64 ms (< d): observed mean 0.054143, sd 0.00080 (theory 0.054225).
  // t = 128 ms: observed mean 0.0016552, sd 0.000097 (theory 0.0016523).
  // t = 256 ms: observed mean 0.00011643, sd 0.000015 (theory 0.00012135).
  TAIL_POINTS_MS.forEach((t, i) => {
    const theory = hedgedTail(t);
    const formula = t <= d ? "P(X > t)" : "P(X > t)·P(X > t − d)";
    it(`hedging after d = p95 leaves P(L > ${t} ms) = ${formula} = ${fmt(theory)} (${seeds}, from the run's histogram)`, () => {
      expectNearTheory(
        `hedged P(L > ${t})`,
        runsOfHedging(true).map((h) => h.tails[i]),
        theory,
      );
    });
  });

  // Plain: observed mean 461.599 ms, sd 10.3 (theory 460.517 ms).
  // Hedged: observed mean 150.199 ms, sd 4.40 (theory 150.881 ms).
  it(`hedging after d = p95 cuts p99.9 from ${fmt(plainP999)} ms to the root of P(X > t)·P(X > t − d) = 0.001, ${fmt(p999)} ms (${seeds})`, () => {
    expectNearTheory(
      "plain p99.9",
      runsOfHedging(false).map(({ result: r }) => load(r).latencyMs.p999),
      plainP999,
      QUANTILE_ERROR * plainP999,
    );
    expectNearTheory(
      "hedged p99.9",
      runsOfHedging(true).map(({ result: r }) => load(r).latencyMs.p999),
      p999,
      QUANTILE_ERROR * p999,
    );
  });
});
