import { describe, expect, it } from "vitest";
import { normalQuantile, openUnit } from "../../src/kernel/normalQuantile.ts";

describe("the normal quantile", () => {
  it("matches tabulated values of Φ⁻¹ to better than 1e-8", () => {
    // Φ⁻¹ from standard tables (and scipy.stats.norm.ppf): p → z.
    const table: [number, number][] = [
      [0.5, 0],
      [0.975, 1.959963984540054],
      [0.9, 1.2815515655446004],
      [0.99, 2.3263478740408408],
      [0.999, 3.090232306167813],
      [0.01, -2.3263478740408408],
      [1e-6, -4.753424308822899],
      [0.3, -0.5244005127080407],
    ];
    for (const [p, z] of table) expect(Math.abs(normalQuantile(p) - z)).toBeLessThan(1e-8 * Math.max(1, Math.abs(z)));
  });

  it("is increasing and antisymmetric, and finite at the extremes of 32-bit draws", () => {
    let previous = -Infinity;
    for (let i = 1; i < 1000; i++) {
      const z = normalQuantile(i / 1000);
      expect(z).toBeGreaterThan(previous);
      expect(Math.abs(z + normalQuantile(1 - i / 1000))).toBeLessThan(1e-9);
      previous = z;
    }
    expect(Number.isFinite(normalQuantile(openUnit(0)))).toBe(true);
    expect(Number.isFinite(normalQuantile(openUnit(1 - 2 ** -32)))).toBe(true);
  });
});
