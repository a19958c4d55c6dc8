import { describe, expect, it } from "vitest";
import { Mt19937 } from "../../src/kernel/mt19937.ts";

describe("Mt19937", () => {
  it("gives 4123659995 as its 10000th output from the default seed, as the C++ standard requires of std::mt19937", () => {
    const rng = new Mt19937();
    let value = 0;
    for (let i = 0; i < 10_000; i++) value = rng.next();
    expect(value).toBe(4_123_659_995);
  });

  it("starts from the reference outputs for seed 5489 and restarts the same sequence when reseeded", () => {
    const rng = new Mt19937(5489);
    const first = [rng.next(), rng.next(), rng.next()];
    expect(first).toEqual([3_499_211_612, 581_869_302, 3_890_346_734]);
    rng.seed(5489);
    expect([rng.next(), rng.next(), rng.next()]).toEqual(first);
  });

  it("keeps only the low 32 bits of a seed", () => {
    const a = new Mt19937(2 ** 32 + 7);
    const b = new Mt19937(7);
    expect(a.next()).toBe(b.next());
  });
});
