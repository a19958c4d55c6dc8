// The reference simulator of `npm run bench` (bench/reference/) is an honest yardstick: its bare
// chain's mean end-to-end latency is the Jackson-network value (three M/M/4 stations in tandem at
// ρ = 0.8 plus six network legs), and its governed mode's breaker and ring hash decide as meshsim's
// do. No wall time is read or asserted here.
//
// Theory. Poisson arrivals at λ = 3.2/ms through three stations of c = 4 workers with Exp(1 ms)
// service: by Burke's theorem each station sees a Poisson stream, so each is an M/M/4 queue with
// a = λ/μ = 3.2 erlangs, ρ = 0.8; Erlang C C(4, 3.2) = 0.596432, sojourn W = C/(cμ − λ) + 1/μ =
// 1.745540 ms. The constant 0.05 ms network legs (a request and a response leg per hop, six in
// all) shift arrivals without changing the process, so the mean end to end is 3W + 0.3 =
// 5.536620 ms.
// Tolerance: |mean over n seeds − theory| < 4·sd/√n, sd the spread across seeds (each seed one long
// run, so autocorrelation is in the spread). Observed when written, 200 000 requests per seed and
// 1 s warm-up: seeds 1–5 (the test's) gave mean 5.5223 ms, sd 0.0335 ms, a tolerance of 0.060 ms
// (1.1%); seeds 1–20 gave mean 5.5490 ms, sd 0.0461 ms.
import { describe, expect, it } from "vitest";
import { Breaker, type Transition } from "../../bench/reference/breaker.ts";
import { runChain } from "../../bench/reference/chain.ts";
import { Stream } from "../../bench/reference/random.ts";
import { Ring, xxHash64Words } from "../../bench/reference/ring.ts";
import { xxHash64Words as meshsimXxHash64Words } from "../../src/kernel/xxhash64.ts";
import { buildRing, ringLookup } from "../../src/mesh/hashing/ring.ts";
import { CircuitBreaker } from "../../src/mesh/resilience/circuitBreaker.ts";
import { ENVOY_RING_HASH, RESILIENCE4J_CIRCUIT_BREAKER } from "../../src/scenario/defaults.ts";
import { erlangC, seedsUpTo, spread } from "../helpers/stats.ts";
import { expectNearTheory } from "../helpers/theory.ts";

const SEEDS = seedsUpTo(5);
const REQUESTS = 200_000;
const WARMUP_MS = 1000;

describe("the reference simulator's bare chain (three M/M/4 stations in tandem at ρ = 0.8)", () => {
  const runs = SEEDS.map((seed) =>
    runChain({ mode: "bare", requests: REQUESTS, seed, warmupMs: WARMUP_MS }),
  );

  it("uses the textbook Erlang C value C(4, 3.2) = 0.596432", () => {
    expect(erlangC(4, 3.2)).toBeCloseTo(0.596432, 6);
  });

  it("has the Jackson network's mean end-to-end latency, 3·W(M/M/4) + 6 × 0.05 ms = 5.53662 ms", () => {
    const w = erlangC(4, 3.2) / (4 - 3.2) + 1;
    const theory = 3 * w + 6 * 0.05;
    expect(theory).toBeCloseTo(5.53662, 5);
    const means = runs.map((r) => r.load.latencyMs.mean);
    const s = expectNearTheory("reference bare chain, mean end to end (ms)", means, theory);
    // A tolerance that wide would say nothing: the spread is about 0.05 ms.
    expect(s.sd).toBeLessThan(0.15);
  });

  it("keeps every station's workers busy 80% of the time", () => {
    for (const service of ["user", "order", "payment"]) {
      const s = spread(runs.map((r) => r.services[service].utilization));
      expect(Math.abs(s.mean - 0.8), `${service}: ${JSON.stringify(s)}`).toBeLessThan(4 * s.se);
    }
  });
});

describe("the reference simulator's governed mode decides as meshsim does", () => {
  it("hashes userId keys with xxHash64 onto the same order instances as meshsim's ring (Envoy's XX_HASH)", () => {
    const ids = ["order-0", "order-1", "order-2"];
    const ours = new Ring(ids);
    const theirs = buildRing(
      ids.map((id) => ({ id, weight: 1 })),
      ENVOY_RING_HASH,
    );
    expect(ENVOY_RING_HASH.hashFunction).toBe("XX_HASH");
    const keys = Array.from({ length: 20_000 }, (_, k) => `userId-${k}`);
    const hashOf = (key: string, hash: (text: string, out: Uint32Array) => void) => {
      const out = new Uint32Array(2);
      hash(key, out);
      return [out[0], out[1]];
    };
    // libxxhash 0.8.1's XXH64("userId-7"), seed 0.
    expect(hashOf("userId-7", xxHash64Words)).toEqual([0x4e764d08, 0xd2f61b30]);
    const ourHashes = keys.map((key) => hashOf(key, xxHash64Words));
    expect(ourHashes).toEqual(keys.map((key) => hashOf(key, meshsimXxHash64Words)));
    const owners = ourHashes.map(([high, low]) => ours.lookup(high, low));
    expect(owners).toEqual(ourHashes.map(([high, low]) => ringLookup(theirs, high, low)));
    expect(new Set(owners).size).toBe(3);
  });

  it("gives the same breaker permissions and transitions as meshsim's resilience4j breaker", () => {
    const seen: string[] = [];
    for (const seed of seedsUpTo(20)) {
      const rng = new Stream(seed, 0);
      const ours: Transition[] = [];
      const theirs: Transition[] = [];
      const reference = new Breaker("b", ours);
      const meshsim = new CircuitBreaker(
        RESILIENCE4J_CIRCUIT_BREAKER,
        { schedule: () => () => {} },
        (atMs, from, to) => theirs.push({ atMs, component: "b", from, to }),
      );
      const decisions: boolean[][] = [[], []];
      let now = 0;
      for (let call = 0; call < 5000; call++) {
        // Bursts of failures and calm spells, and now and then a wait past the 60 s in OPEN.
        now += rng.next() < 0.01 ? 61_000 : rng.exp(5);
        const failureRate = Math.floor(call / 500) % 2 === 0 ? 0.1 : 0.7;
        const permitted = reference.tryAcquirePermission(now);
        decisions[0].push(permitted);
        decisions[1].push(meshsim.tryAcquirePermission(now));
        if (!permitted) continue;
        const failed = rng.next() < failureRate;
        const duration = rng.next() < 0.001 ? 70_000 : rng.exp(2);
        reference.onResult(now, duration, failed);
        meshsim.onResult(now, duration, failed);
      }
      expect(decisions[0], `seed ${seed}`).toEqual(decisions[1]);
      expect(ours, `seed ${seed}`).toEqual(theirs);
      seen.push(...ours.map((t) => `${t.from}->${t.to}`));
    }
    // Every transition resilience4j makes was exercised.
    expect(new Set(seen)).toEqual(
      new Set(["CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN", "HALF_OPEN->CLOSED"]),
    );
  });
});
