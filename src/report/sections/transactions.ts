// The transactions part of a run result as text: a few lines for the terminal summary and the
// "Transactions" section of report.md (the business ledger's counts, the inconsistency window,
// the business invariants during the run and at quiescence, and the sample of anomalous orders).
// Nothing at all when the scenario declared no effects (or the result predates them).
import type { RunResult } from "../../result/run.ts";
import type { TransactionsResult } from "../../result/transactions.ts";
import { markdownTable } from "../markdown/table.ts";
import { messagingMarkdown, messagingText } from "./messaging.ts";
import { groupThousands } from "./tables.ts";

/** The transactions section, or null when the scenario had none. */
export function transactionsOf(result: RunResult): TransactionsResult | null {
  return (result as Partial<RunResult>).transactions ?? null;
}

const seconds = (ms: number) => `${Number((ms / 1000).toPrecision(6))} s`;

/** One sentence of the ledger's figures. */
export function transactionsText(t: TransactionsResult): string {
  const w = t.inconsistencyWindowMs;
  return (
    `${groupThousands(t.orders)} orders after warm-up: ${groupThousands(t.doubleCharges)} double-charged ` +
    `(${t.doubleChargesPerThousand} per thousand, ${groupThousands(t.duplicateCharges)} duplicate charges, ` +
    `${groupThousands(t.duplicateAmount)} charged twice), ${groupThousands(t.chargesWithoutOrder)} charged without an order, ` +
    `${groupThousands(t.orphanedReservations)} orphaned reservations, ${groupThousands(t.compensations)} compensations; ` +
    `idempotency replayed ${groupThousands(t.idempotency.replayed)}, refused ${groupThousands(t.idempotency.conflicts)} (409), ` +
    `held ${groupThousands(t.idempotency.waited)}; inconsistency window p50 ${w.p50} ms, p99 ${w.p99} ms, max ${w.max} ms.`
  );
}

/** One sentence of the sagas' outcomes and compensation tries, or null without sagas. */
export function sagasText(t: TransactionsResult): string | null {
  const tries = t.compensationTries;
  if (tries === undefined) return null;
  const s = t.sagas;
  return (
    `sagas: ${groupThousands(s.completed)} completed, ${groupThousands(s.compensated)} compensated, ` +
    `${groupThousands(s.timedOut)} timed out, ${groupThousands(s.compensationFailed ?? 0)} failed to compensate; ` +
    `${groupThousands(tries.total)} compensation tries (${groupThousands(tries.retries)} retries, ` +
    `at most ${groupThousands(tries.peakPerSecond)} in one second).`
  );
}

/** One sentence of the TCC transactions' outcomes and the participants' anomalies, or null without TCC. */
export function tccText(t: TransactionsResult): string | null {
  const c = t.tcc;
  if (c === undefined) return null;
  const n = groupThousands;
  return (
    `TCC: ${n(c.committed)} committed, ${n(c.rolledBack)} rolled back, ${n(c.timedOut)} timed out, ` +
    `${n(c.phaseTwoFailed)} failed in phase two (${n(c.phaseTwoTries)} phase-two tries); at the participants ` +
    `${n(c.hangingTries)} hanging Tries, ${n(c.emptyRollbacks)} empty rollbacks, ${n(c.duplicatePhaseTwo)} repeated Confirms or Cancels; ` +
    `the safeguards refused ${n(c.rejectedTries)} late Tries, skipped ${n(c.skippedEmptyRollbacks)} empty rollbacks and ${n(c.skippedDuplicates)} repeats.`
  );
}

/** Each invariant as `name: holds` or `name: BROKEN by n orders (first at t)`. */
export function invariantTexts(t: TransactionsResult): string[] {
  return t.invariants.map((i) => {
    const first = i.firstBrokenAtMs === null ? "" : `first broken at ${seconds(i.firstBrokenAtMs)}`;
    if (i.holds)
      return `${i.name}: holds${first === "" ? "" : ` at the end (${first}, healed since)`}`;
    const what = i.name === "sagas-end-in-time" ? "sagas" : "orders";
    return `${i.name}: BROKEN by ${groupThousands(i.violations)} ${what} (${first})`;
  });
}

/** Lines for the terminal summary. */
export function transactionLines(result: RunResult): string[] {
  const t = transactionsOf(result);
  if (t === null) return [];
  const sagas = sagasText(t);
  const tcc = tccText(t);
  const messaging = t.messaging === undefined ? [] : [`  ${messagingText(t.messaging)}`];
  return [
    `transactions: ${transactionsText(t)}`,
    ...(sagas === null ? [] : [`  ${sagas}`]),
    ...(tcc === null ? [] : [`  ${tcc}`]),
    ...messaging,
    ...invariantTexts(t).map((l) => `  ${l}`),
  ];
}

/** report.md's "Transactions" section. */
export function transactionsMarkdown(result: RunResult): string[] {
  const t = transactionsOf(result);
  if (t === null) return [];
  const lines = [
    "## Transactions",
    "",
    transactionsText(t),
    "",
    ...(sagasText(t) === null ? [] : [sagasText(t)!, ""]),
    ...(tccText(t) === null ? [] : [tccText(t)!, ""]),
    ...invariantTexts(t).map((l) => `- ${l}`),
    "",
  ];
  if (t.messaging !== undefined)
    lines.push(messagingText(t.messaging), "", ...messagingMarkdown(t.messaging));
  if (t.sample.length > 0) {
    lines.push(
      ...markdownTable(
        ["order", "load", "anomalies", "charges", "refunds", "reserved", "released", "outcome"],
        t.sample.map((o) => [
          String(o.order),
          o.load,
          o.anomalies.join(", "),
          String(o.charges),
          String(o.refunds),
          String(o.reserved),
          String(o.released),
          o.outcome,
        ]),
      ),
      "",
    );
  }
  return lines;
}
