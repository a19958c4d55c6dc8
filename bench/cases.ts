// The whole-scenario benchmark cases, shared by the parent (bench/macro.ts) and the per-case child
// runner (bench/macroCase.ts). Each case is a typed Scenario sized by its expected number of
// end-user requests; arrival rates are fixed, so the simulated duration scales with the count.
// Network latency is 0 and there is no warm-up, so every request counts.

import { fileURLToPath } from "node:url";
import { exponential } from "../src/kernel/distributions.ts";
import { ISTIO_OUTLIER_DETECTION, RESILIENCE4J_CIRCUIT_BREAKER } from "../src/scenario/defaults.ts";
import { defaultResilience, loadScenarioFile } from "../src/scenario/loader.ts";
import type { LoadSpec, ResilienceSpec, Scenario } from "../src/scenario/types.ts";
import type { EffectKind } from "../src/transactions/spec.ts";
import { mmc, poissonLoad, scenario, station } from "../test/helpers/scenarios.ts";

export interface MacroCase {
  /** Command-line name, passed to bench/macroCase.ts. */
  name: string;
  /** What the case models, for the printed table. */
  description: string;
  /** Expected number of end-user requests (arrivals). */
  requests: number;
  build(): Scenario;
}

/** M/M/1: λ = 0.9/s, μ = 1/s, duration sized so that about `requests` customers arrive. */
function mm1(requests: number): MacroCase {
  const lambda = 0.9;
  return {
    name: `mm1-${label(requests)}`,
    description: `M/M/1 λ=0.9/s μ=1/s, ~${label(requests)} customers`,
    requests,
    build: () => mmc({ lambda, mu: 1, durationS: requests / lambda }),
  };
}

/** Tandem user → order → payment, one async instance each, utilisations 0.6 / 0.7 / 0.5. */
function tandem(requests: number): MacroCase {
  const ratePerS = 100;
  const callWork = (service: string) => ({
    kind: "call" as const,
    target: { service, operation: "work" },
    probability: 1,
  });
  return {
    name: `tandem-${label(requests)}`,
    description: `tandem user→order→payment async ρ=.6/.7/.5, ~${label(requests)} requests`,
    requests,
    build: () =>
      scenario({
        services: [
          station({
            name: "user",
            threading: "async",
            serviceTime: exponential(6),
            calls: [callWork("order")],
          }),
          station({
            name: "order",
            threading: "async",
            serviceTime: exponential(7),
            calls: [callWork("payment")],
          }),
          station({ name: "payment", threading: "async", serviceTime: exponential(5) }),
        ],
        load: [poissonLoad(ratePerS, "user")],
        durationMs: (requests / ratePerS) * 1000,
      }),
  };
}

/**
 * The shipped checkout system (scenarios/checkout.yaml: 5 services, 6 calls per checkout, zones,
 * network latency, a cache, Istio's default P2C) at a constant 600 checkouts/s, no warm-up.
 */
function checkout(requests: number): MacroCase {
  const ratePerS = 600;
  return {
    name: `checkout-${label(requests)}`,
    description: `checkout.yaml, P2C, 600/s, ~${label(requests)} checkouts`,
    requests,
    build: () => {
      const file = loadScenarioFile(
        fileURLToPath(new URL("../scenarios/checkout.yaml", import.meta.url)),
      );
      const durationMs = (requests / ratePerS) * 1000;
      const [shoppers] = file.load;
      const load: LoadSpec = {
        ...shoppers,
        executor: "constant-arrival-rate",
        ratePerMs: ratePerS / 1000,
        arrival: "poisson",
        startTimeMs: 0,
        durationMs,
      };
      // Tracing off, whatever the file says: the traced case below measures it on.
      return { ...file, durationMs, warmupMs: 0, load: [load], thresholds: [], tracing: null };
    },
  };
}

/**
 * The same checkout with business effects declared (issue 18): order.create creates the order,
 * inventory.reserve reserves one unit, payment.charge charges 25; no saga, no idempotency key.
 * Every checkout then keeps a ledger record; the target is at most 10% more time than `checkout`.
 */
function checkoutEffects(requests: number): MacroCase {
  const plain = checkout(requests);
  return {
    name: `checkout-effects-${label(requests)}`,
    description: `checkout.yaml with effects (create, reserve, charge), ~${label(requests)} checkouts`,
    requests,
    build: () => {
      const effects = (service: string, operation: string, kind: EffectKind, amount = 1) => ({
        service,
        operation,
        effects: [{ kind, amount }],
        idempotency: null,
      });
      return {
        ...plain.build(),
        transactions: {
          operations: [
            effects("order", "create", "create"),
            effects("inventory", "reserve", "reserve"),
            effects("payment", "charge", "charge", 25),
          ],
        },
      };
    },
  };
}

/**
 * The same checkout run with tracing on as an operator would leave it: 1% head sampling, errored
 * traces kept, the critical path of every request: what tracing costs on top of the plain case.
 */
function checkoutTraced(requests: number): MacroCase {
  const plain = checkout(requests);
  return {
    name: `checkout-traced-${label(requests)}`,
    description: `checkout.yaml with tracing (1%, errors kept), ~${label(requests)} checkouts`,
    requests,
    build: () => ({
      ...plain.build(),
      tracing: {
        sampler: "parentbased_traceidratio",
        ratio: 0.01,
        keepErrors: true,
        keepSlowerThanMs: null,
        epochMs: Date.UTC(2026, 0, 1),
        maxTraces: 10_000,
      },
    }),
  };
}

/**
 * The same checkout run with every recovery mechanism of every sidecar switched on (route and
 * per-try timeouts, retries within a budget, a resilience4j breaker, outlier detection, connection
 * pools, per-instance rate limits), set loose enough that they watch every call but rarely act:
 * what the "within 1.5x" compares against the plain case.
 */
function checkoutRecovery(requests: number): MacroCase {
  const plain = checkout(requests);
  return {
    name: `checkout-recovery-${label(requests)}`,
    description: `checkout.yaml with all recovery on, ~${label(requests)} checkouts`,
    requests,
    build: () => {
      const base = plain.build();
      const resilience: ResilienceSpec = {
        ...defaultResilience(),
        timeoutMs: 5000,
        retries: {
          attempts: 2,
          perTryTimeoutMs: 2000,
          retryOn: ["5xx", "reset", "connect-failure"],
          backoff: { baseMs: 25, maxMs: 250, jitter: "full" },
        },
        retryBudget: { budgetPercent: 20, minRetryConcurrency: 3 },
        circuitBreaker: { ...RESILIENCE4J_CIRCUIT_BREAKER },
        outlierDetection: { ...ISTIO_OUTLIER_DETECTION },
        connectionPool: {
          maxRequests: 1024,
          maxPendingRequests: 1024,
          maxConnections: 2 ** 32 - 1,
        },
        rateLimit: {
          maxTokens: 10_000,
          tokensPerFill: 10_000,
          fillIntervalMs: 1000,
          per: "instance",
        },
      };
      return {
        ...base,
        services: base.services.map((s) => ({
          ...s,
          trafficPolicy: { ...s.trafficPolicy, resilience },
        })),
      };
    },
  };
}

function label(n: number): string {
  return n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`;
}

export const ONE_MILLION = 1_000_000;
export const TEN_MILLION = 10_000_000;

export const FIVE_MILLION = 5_000_000;

export const CASES: readonly MacroCase[] = [
  mm1(ONE_MILLION),
  tandem(ONE_MILLION),
  checkout(ONE_MILLION),
  checkoutRecovery(ONE_MILLION),
  checkoutTraced(ONE_MILLION),
  checkoutEffects(ONE_MILLION),
  mm1(TEN_MILLION),
  tandem(TEN_MILLION),
  checkout(FIVE_MILLION),
];

/**
 * Cases run only on demand (`npm run bench:long`), never by `npm run bench` or CI: the checkout at
 * 10^8 end-user requests, for issue 22's memory target (peak RSS under 300 MB, nothing kept per
 * request), and smaller sizes of it for a shorter sitting. The name says the size: checkout-<n>M.
 */
export function longCheckout(millions: number): MacroCase {
  return checkout(millions * ONE_MILLION);
}

export function findCase(name: string): MacroCase {
  const long = /^checkout-(\d+)M$/.exec(name);
  const found =
    CASES.find((c) => c.name === name) ??
    (long !== null ? longCheckout(Number(long[1])) : undefined);
  if (!found)
    throw new Error(
      `no macro case named ${name}; cases are ${CASES.map((c) => c.name).join(", ")}`,
    );
  return found;
}

/** What the child runner prints as one JSON line on stdout. */
export interface CaseMeasurement {
  name: string;
  /** End-user requests offered (simulated arrivals). */
  requests: number;
  /** Of which completed before the run stopped. */
  completed: number;
  events: number;
  wallSeconds: number;
  /** CPU seconds (user + system, all of the process's threads) over the same span as wallSeconds. */
  cpuSeconds: number;
  /** Time to build the scenario object, excluded from wallSeconds. */
  buildSeconds: number;
  rssBeforeMB: number;
  rssAfterMB: number;
  /** process.resourceUsage().maxRSS at the end of the child: the true peak, in MB. */
  maxRssMB: number;
  /** Live heap after a forced full GC at the end of the run (-1 without --expose-gc). */
  heapUsedAfterGcMB: number;
  stopReason: string;
}
