import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/report/markdown/runMarkdown.ts";
import { fixtureResult, fixtureTracing } from "./reportFixtures.ts";

describe("report.md", () => {
  const md = renderMarkdown(fixtureResult({ tracing: fixtureTracing() }));

  it("keeps the run line, the thresholds and the summary table first", () => {
    expect(
      md.startsWith("# meshsim run: fixture\n\nSeed 7, 40 s of simulated time, 12345 events."),
    ).toBe(true);
    expect(md).toContain("## Thresholds: FAILED");
    expect(md).toContain(
      "| kind | name | requests | errors | error rate | throughput req/s | utilisation | mean ms | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |",
    );
    expect(md.indexOf("## Summary")).toBeLessThan(md.indexOf("## Faults"));
  });

  it("adds the faults, the state changes by kind, the alerts' detection and false alarms, and the critical path", () => {
    expect(md).toContain("| zone-b-down | partition | b | 30 | end of run |");
    expect(md).toContain("| breaker | CLOSED → OPEN | 1 |");
    expect(md).toContain("| payment-errors | abort | 15 | PaymentErrors | 30 | 15 |");
    expect(md).toContain('| Noisy{service="order"} | 10 | 20 |');
    expect(md).toContain("| shoppers | payment | 60.0% | 36.0 | 28.8 | 144 |");
  });

  it("escapes pipes inside cells so a PromQL `or` cannot break a table row", () => {
    const result = fixtureResult();
    result.alerts.rules[0].expr = "a > 1 | b";
    expect(renderMarkdown(result)).toContain("a > 1 \\| b");
  });

  it("says when there are no faults, no alert rules and no tracing", () => {
    const result = fixtureResult({ alerts: null });
    result.faults = [];
    result.stateChanges = [];
    const plain = renderMarkdown(result);
    expect(plain).toContain("No faults were injected.");
    expect(plain).toContain("No alert rules in this scenario.");
    expect(plain).toContain("Tracing was off");
  });
});
