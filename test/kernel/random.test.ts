import { fc, test as propTest } from "@fast-check/vitest";
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { fmix32, KeyedDraws } from "../../src/kernel/keyedDraws.ts";
import { RandomStreams } from "../../src/kernel/random.ts";

describe("seeded random streams", () => {
  it("give the same draws for the same seed and label", () => {
    const a = new RandomStreams(7).get("payment/instance-2/service-time");
    const b = new RandomStreams(7).get("payment/instance-2/service-time");
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(
      Array.from({ length: 5 }, () => b.next()),
    );
  });

  it("are seedrandom's tychei for the seed string, draw for draw, in both forms", () => {
    const ours = new RandomStreams(7).get("proxy/gateway-0/balancer");
    const theirs = seedrandom.tychei("meshsim/7/proxy/gateway-0/balancer");
    for (let i = 0; i < 10_000; i++) {
      if (i % 3 === 0) expect(ours.nextUint32()).toBe(theirs.int32() >>> 0);
      else expect(ours.next()).toBe(theirs());
    }
  });

  it("give different draws for another seed or another label", () => {
    const first = new RandomStreams(7).get("x").next();
    expect(new RandomStreams(8).get("x").next()).not.toBe(first);
    expect(new RandomStreams(7).get("y").next()).not.toBe(first);
  });

  it("do not let one label be taken twice, so two components never share a stream", () => {
    const streams = new RandomStreams(1);
    streams.get("a");
    expect(() => streams.get("a")).toThrow(/already taken/);
  });

  it("are uniform on [0, 1): mean 1/2 and variance 1/12 within 5 standard errors", () => {
    const rng = new RandomStreams(3).get("uniformity");
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      sumSq += u * u;
    }
    expect(outside).toBe(0);
    const mean = sum / n;
    // Standard error of the mean is sqrt(1/12/n); of the second moment sqrt(4/45/n).
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sumSq / n - 1 / 3)).toBeLessThan(5 * Math.sqrt(4 / 45 / n));
  });
});

/**
 * The keyed sequence as written out in full: sfc32 seeded from the key, two rounds of its step
 * discarded (KeyedDraws runs those rounds on locals; this is the same generator step by step).
 */
function referenceDraws(seedA: number, seedB: number, site: number, purpose: number): number[] {
  const key = fmix32(site ^ Math.imul(purpose + 1, 0x27d4eb2f));
  let a = fmix32(seedA ^ key) | 0;
  let b = (seedB + key) | 0;
  let c = key | 0;
  let d = 1;
  const step = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  step();
  step();
  return [step(), step(), step(), step()];
}

describe("keyed draws", () => {
  propTest.prop([fc.integer(), fc.integer(), fc.integer(), fc.integer({ min: 0, max: 20 })])(
    "are sfc32's words after two discarded rounds from the keyed seed, for any seeds, site and purpose",
    (seedA, seedB, site, purpose) => {
      const d = new KeyedDraws();
      d.begin(seedA | 0, seedB | 0, site | 0, purpose);
      const words = [d.nextUint32(), d.nextUint32(), d.nextUint32(), d.nextUint32()];
      expect(words).toEqual(referenceDraws(seedA | 0, seedB | 0, site | 0, purpose));
    },
  );

  propTest.prop([fc.integer(), fc.integer(), fc.integer(), fc.integer({ min: 0, max: 20 })])(
    "begun for a call, are those of its request's seeds at its site",
    (seedA, seedB, site, purpose) => {
      const d = new KeyedDraws();
      const call = { request: { seedA: seedA | 0, seedB: seedB | 0 }, site: site | 0 };
      d.beginFor(call, purpose);
      const forCall = [d.next(), d.next()];
      d.begin(seedA | 0, seedB | 0, site | 0, purpose);
      expect(forCall).toEqual([d.next(), d.next()]);
    },
  );

  it("repeat exactly for the same key and differ for another site or purpose", () => {
    const d = new KeyedDraws();
    const seq = (a: number, b: number, site: number, purpose: number) => {
      d.begin(a, b, site, purpose);
      return [d.next(), d.next(), d.next()];
    };
    expect(seq(1, 2, 3, 1)).toEqual(seq(1, 2, 3, 1));
    expect(seq(1, 2, 4, 1)).not.toEqual(seq(1, 2, 3, 1));
    expect(seq(1, 2, 3, 2)).not.toEqual(seq(1, 2, 3, 1));
    expect(seq(9, 2, 3, 1)).not.toEqual(seq(1, 2, 3, 1));
  });

  it("built checked, refuse a sequence held over past the next begin(), which would continue another key's draws", () => {
    const d = new KeyedDraws(true);
    const held = d.begin(1, 2, 3, 1);
    const first = held.next();
    expect(first).toBe(new KeyedDraws().begin(1, 2, 3, 1).next());
    const current = d.begin(1, 2, 4, 1);
    expect(() => held.next()).toThrow(/used after a later begin\(\)/);
    expect(() => held.nextUint32()).toThrow(/site 3, purpose 1/);
    expect(current.next()).toBe(new KeyedDraws().begin(1, 2, 4, 1).next());
    // Unchecked (the default, for speed), the same mistake goes unnoticed: it draws on from site 4.
    const fast = new KeyedDraws();
    const stale = fast.begin(1, 2, 3, 1);
    fast.begin(1, 2, 4, 1);
    expect(stale.next()).toBe(new KeyedDraws().begin(1, 2, 4, 1).next());
  });

  it("give uniform, uncorrelated first draws across consecutive request seeds", () => {
    const d = new KeyedDraws();
    const n = 100_000;
    let sum = 0;
    let lag = 0;
    let prev = 0.5;
    for (let i = 0; i < n; i++) {
      const u = d.begin(i, i * 7, 0x5eed, 1).next();
      sum += u;
      lag += (u - 0.5) * (prev - 0.5);
      prev = u;
    }
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    // Lag-1 autocovariance of independent uniforms has standard error (1/12)/sqrt(n).
    expect(Math.abs(lag / n)).toBeLessThan((5 * (1 / 12)) / Math.sqrt(n));
  });

  it("give uncorrelated draws for two purposes, or two neighbouring sites, of the same request", () => {
    const d = new KeyedDraws();
    const seeds = new RandomStreams(11).get("keyed-correlation");
    const n = 100_000;
    let purposes = 0;
    let sites = 0;
    for (let i = 0; i < n; i++) {
      const a = seeds.nextUint32();
      const b = seeds.nextUint32();
      const service = d.begin(a, b, 0x5eed, 1).next() - 0.5;
      const error = d.begin(a, b, 0x5eed, 2).next() - 0.5;
      const nextSite = d.begin(a, b, 0x5eee, 1).next() - 0.5;
      purposes += service * error;
      sites += service * nextSite;
    }
    // Covariance of independent uniforms has standard error (1/12)/sqrt(n).
    expect(Math.abs(purposes / n)).toBeLessThan((5 * (1 / 12)) / Math.sqrt(n));
    expect(Math.abs(sites / n)).toBeLessThan((5 * (1 / 12)) / Math.sqrt(n));
  });
});
