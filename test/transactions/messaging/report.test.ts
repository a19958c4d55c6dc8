// The broker in the run's summary and report.md: one sentence of what happened to the events, and
// tables per topic and consumer group, from the result's transactions.messaging.
import { describe, expect, test } from "vitest";
import { groupThousands as g } from "../../../src/report/sections/tables.ts";
import {
  transactionLines,
  transactionsMarkdown,
} from "../../../src/report/sections/transactions.ts";
import { runScenario } from "../../../src/run/runScenario.ts";
import { parseScenario } from "../../../src/scenario/loader.ts";
import { choreoText } from "../../helpers/choreo.ts";

describe("the broker in the report", () => {
  const r = runScenario(
    parseScenario(
      choreoText({ chargeTime: "const(1500ms)", ackTimeout: "1s", maxDeliveries: 3, dedup: true }),
      "choreo.yaml",
    ),
  );
  const orders = r.transactions!.orders;

  test("the summary says how many events were published, redelivered, absorbed and dead-lettered", () => {
    const line = transactionLines(r).find((l) => l.includes("messaging:"))!;
    expect(line).toContain(
      `${g(orders)} events published, 0 lost before the broker, ${g(2 * orders)} redeliveries`,
    );
    expect(line).toContain(
      `${g(2 * orders)} duplicates absorbed by consumer dedup, ${g(orders)} dead-lettered`,
    );
    expect(transactionLines(r)).toContain("  no-lost-event: holds");
  });

  test("report.md has a row per topic and per consumer group", () => {
    const md = transactionsMarkdown(r).join("\n");
    expect(md).toContain(`| order-created | ${g(orders)} | ${g(orders)} | 0 | 0 | 0 |`);
    expect(md).toContain(
      `| payment.charge | order-created | on | ${g(orders)} | 0 | ${g(2 * orders)} | ${g(3 * orders)} | ${g(orders)} | 0 | ${g(2 * orders)} |`,
    );
  });
});
