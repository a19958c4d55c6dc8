// Each invariant checker fires on a scripted run that breaks its invariant (events fed to it as the
// model would report them), names the request and the moment, and stays silent on correct runs:
// many random scenarios and fault timelines (fast-check), checked as they happen.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RunResult } from "../../src/run/result.ts";
import { faultTimeline } from "../../src/testing/arbitraries/faultTimeline.ts";
import { scenario } from "../../src/testing/arbitraries/scenario.ts";
import { runChecked } from "../../src/testing/checkedRun.ts";
import {
  breakerLegality,
  connectionPoolBounds,
  conservation,
  hostInView,
  outlierEjectionCap,
  rateLimitBounds,
  retryBounds,
  retryBudget,
  thresholds,
} from "../../src/testing/checkers/index.ts";
import type { RunEvent } from "../../src/testing/events.ts";
import type { Breach, Invariant } from "../../src/testing/invariant.ts";
import { fromDocument } from "../../src/testing/source.ts";

/** gateway → payment (4 instances) with a breaker (2 half-open permits), 1 retry and outlier detection at 50%. */
const governed = fromDocument({
  version: 1,
  name: "governed",
  duration: "10s",
  services: {
    gateway: {
      instances: 1,
      operations: { checkout: { serviceTime: "exp(1ms)", calls: [{ call: "payment.charge" }] } },
    },
    payment: { instances: 4, operations: { charge: { serviceTime: "exp(5ms)" } } },
  },
  mesh: {
    services: {
      payment: {
        retries: { attempts: 1 },
        circuitBreaker: { permittedNumberOfCallsInHalfOpenState: 2 },
        outlierDetection: { maxEjectionPercent: 50 },
      },
    },
  },
  load: [
    {
      name: "users",
      executor: "constant-arrival-rate",
      rate: 10,
      timeUnit: "1s",
      target: "gateway.checkout",
    },
  ],
  thresholds: { errors: ["rate<0.01"] },
}).scenario();

/** The first breach `invariant` finds in `events`, or null. */
function feed(invariant: Invariant, events: RunEvent[]): Breach | null {
  const watch = invariant.watch(governed);
  for (const e of events) {
    const breach = watch.event?.(e) ?? null;
    if (breach !== null) return breach;
  }
  return null;
}

const sent = (atMs: number, request: number, call: number, tryId: number): RunEvent => ({
  type: "sent",
  atMs,
  request,
  call,
  try: tryId,
  proxy: "gateway-0",
  service: "payment",
  instance: "payment-1",
  cluster: 0,
});
const breaker = (atMs: number, from: string, to: string): RunEvent => ({
  type: "state",
  atMs,
  component: "breaker gateway-0->payment",
  from,
  to,
});
const offered = (request: number): RunEvent => ({
  type: "offered",
  atMs: 1,
  request,
  load: "users",
  measured: true,
  scheduledAtMs: 1,
});
const finished = (request: number): RunEvent => ({
  type: "finished",
  atMs: 2,
  request,
  load: "users",
  status: 200,
});

describe("the conservation checker", () => {
  it("fires when a request is answered twice, or ends without being offered", () => {
    expect(feed(conservation, [offered(1), finished(1), finished(1)])).toEqual({
      message: "request 1 was answered twice",
      request: 1,
    });
    expect(feed(conservation, [finished(7)])?.message).toBe(
      "request 7 ended without being offered",
    );
    expect(feed(conservation, [offered(1), finished(1), offered(2), finished(2)])).toBeNull();
  });

  it("fires when the result's counts do not add up or disagree with the events", () => {
    const watch = conservation.watch(governed);
    watch.event?.(offered(1));
    const load = { offered: 2, completed: 1, failed: 0, inFlight: 1 };
    const result = { load: { users: load } } as unknown as RunResult;
    expect(watch.end?.(result)?.message).toMatch(
      /measured requests were offered, the run's events show 1/,
    );
    const unbalanced = { load: { users: { ...load, inFlight: 0 } } } as unknown as RunResult;
    expect(watch.end?.(unbalanced)?.message).toMatch(/offered 2 but completed 1/);
  });
});

describe("the breaker-legality checker", () => {
  it("fires on a try sent while the breaker is OPEN", () => {
    const breach = feed(breakerLegality, [
      sent(1, 1, 1, 1),
      breaker(2, "CLOSED", "OPEN"),
      sent(3, 2, 2, 2),
    ]);
    expect(breach?.request).toBe(2);
    expect(breach?.message).toMatch(/while its breaker to payment was OPEN/);
  });

  it("fires on more HALF_OPEN tries than permitted, and allows exactly the permitted number", () => {
    const half = [breaker(1, "CLOSED", "OPEN"), breaker(2, "OPEN", "HALF_OPEN")];
    expect(feed(breakerLegality, [...half, sent(3, 1, 1, 1), sent(3, 2, 2, 2)])).toBeNull();
    const breach = feed(breakerLegality, [
      ...half,
      sent(3, 1, 1, 1),
      sent(3, 2, 2, 2),
      sent(3, 3, 3, 3),
    ]);
    expect(breach?.message).toMatch(/3 tries to payment in one HALF_OPEN episode; .* is 2/);
  });

  it("fires on an illegal transition and on one from a state the breaker was not in", () => {
    expect(feed(breakerLegality, [breaker(1, "CLOSED", "HALF_OPEN")])?.message).toMatch(
      /not a legal transition/,
    );
    expect(feed(breakerLegality, [breaker(1, "OPEN", "HALF_OPEN")])?.message).toMatch(
      /moved from OPEN, but it was CLOSED/,
    );
  });
});

describe("the retry-bounds checker", () => {
  it("fires on a third try of a call with one retry allowed", () => {
    const breach = feed(retryBounds, [sent(1, 1, 5, 10), sent(2, 1, 5, 11), sent(3, 1, 5, 12)]);
    expect(breach?.message).toMatch(/call 5 .* reached 3 tries; at most 2/);
    expect(feed(retryBounds, [sent(1, 1, 5, 10), sent(2, 1, 5, 11), sent(3, 2, 6, 12)])).toBeNull();
  });
});

describe("the outlier-ejection-cap checker", () => {
  const ejected = (host: number, to = "ejected"): RunEvent => ({
    type: "state",
    atMs: host,
    component: `outlier gateway-0->payment-${host}`,
    from: to === "ejected" ? "healthy" : "ejected",
    to,
  });
  it("fires when a proxy has more than maxEjectionPercent of the hosts ejected at once", () => {
    expect(feed(outlierEjectionCap, [ejected(0), ejected(1)])).toBeNull();
    expect(feed(outlierEjectionCap, [ejected(0), ejected(1), ejected(2)])?.message).toMatch(
      /has 3 hosts of payment ejected .* allows 2/,
    );
    expect(
      feed(outlierEjectionCap, [ejected(0), ejected(1), ejected(0, "healthy"), ejected(2)]),
    ).toBeNull();
  });
});

describe("the thresholds checker", () => {
  it("fires on the first failed threshold of the result", () => {
    const watch = thresholds.watch(governed);
    const result = {
      thresholds: [{ metric: "errors", expression: "rate<0.01", actual: 0.2, ok: false }],
    } as unknown as RunResult;
    expect(watch.end?.(result)?.message).toBe("threshold errors: rate<0.01 failed (actual 0.2)");
  });
});

describe("the checkers on real runs", () => {
  it("stop a run at the first violation, with its time, request and trail", () => {
    const tooFewTries: Invariant = {
      name: "one-try-only",
      watch: () => ({
        event: (e) =>
          e.type === "sent" && e.try > 3 ? { message: "a fourth try", request: e.request } : null,
      }),
    };
    const run = runChecked(governed, { invariants: [tooFewTries] });
    expect(run.result).toBeNull();
    expect(run.violation?.invariant).toBe("one-try-only");
    expect(run.violation?.atMs).toBeGreaterThan(0);
    expect(
      run.violation?.trail.every((e) => "request" in e && e.request === run.violation?.request),
    ).toBe(true);
    expect(run.violation?.trail.at(-1)?.type).toBe("sent");
  });

  it("stay silent over random scenarios and fault timelines (thresholds aside), which reach the states they judge", () => {
    const invariants = [
      conservation,
      breakerLegality,
      retryBounds,
      outlierEjectionCap,
      rateLimitBounds,
      hostInView,
      connectionPoolBounds,
      retryBudget,
    ];
    const reached = new Map<string, number>();
    fc.assert(
      fc.property(
        scenario({ maxDurationS: 5 }).chain((doc) => {
          const source = fromDocument(doc);
          return faultTimeline(source.scenario(), { maxFaults: 3 }).map((f) =>
            source.withFaults(f),
          );
        }),
        (source) => {
          const run = runChecked(source.scenario(), { invariants, stopAtFirst: true });
          expect(run.violation, run.violation?.message).toBeNull();
          for (const name of run.reached) reached.set(name, (reached.get(name) ?? 0) + 1);
          if (process.env.SHOW_REACHED) console.log(JSON.stringify([...reached]));
        },
      ),
      { numRuns: 40, seed: 2026 },
    );
    // Silence means something only if the runs went where the checkers look. Seed 2026 gives, of 40
    // runs: breaker-open 8, HALF_OPEN→CLOSED 3, outlier-ejection 4, retry 12, rate-limited 5,
    // pool-overflow 7, retry-budget-exhausted 8, panic 2 (SHOW_REACHED=1 prints the tally).
    for (const state of [
      "breaker-open",
      "breaker-half-open-closed",
      "outlier-ejection",
      "retry",
      "rate-limited",
      "pool-overflow",
      "retry-budget-exhausted",
      "panic",
    ])
      expect(reached.get(state) ?? 0, state).toBeGreaterThan(0);
  });
});

describe("the rate-limit-bounds checker", () => {
  it("fires when a proxy admits more first tries than its token bucket holds, and not at the bound", () => {
    const limited = fromDocument({
      version: 1,
      name: "limited",
      duration: "10s",
      services: { api: { instances: 1, operations: { get: { serviceTime: "exp(1ms)" } } } },
      mesh: {
        services: {
          api: { rateLimit: { maxTokens: 2, tokensPerFill: 1, fillInterval: "1s", per: "proxy" } },
        },
      },
      load: [
        {
          name: "users",
          executor: "constant-arrival-rate",
          rate: 10,
          timeUnit: "1s",
          target: "api.get",
        },
      ],
    }).scenario();
    const first = (atMs: number, n: number): RunEvent => ({
      type: "sent",
      atMs,
      request: n,
      call: n,
      try: n,
      proxy: "load/users/client-0",
      service: "api",
      instance: "api-0",
      cluster: -1,
    });
    const watch = rateLimitBounds.watch(limited);
    // Two tokens at 0, one more by 1 s: the third call at 999 ms is one too many.
    expect(watch.event?.(first(0, 1))).toBeNull();
    expect(watch.event?.(first(10, 2))).toBeNull();
    expect(watch.event?.(first(999, 3))?.message).toMatch(/admitted 3 calls to api .* allows 2/);
    const fresh = rateLimitBounds.watch(limited);
    for (const [i, t] of [0, 10, 1000, 2000].entries())
      expect(fresh.event?.(first(t, i))).toBeNull();
    // And on a real run, the bucket holds: 10 calls per second offered, 1 per second admitted.
    const run = runChecked(limited, { invariants: [rateLimitBounds] });
    expect(run.violation).toBeNull();
    expect(run.reached).toContain("rate-limited");
  });
});
