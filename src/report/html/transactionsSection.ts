// report.html's "Transactions" section (run and compare): the business ledger's figures in words,
// the invariants, the anomalous orders' sample, then the charts of charts/transactions.ts, each
// under its paragraph. Nothing at all when the scenario declares no effects, so the reports of
// scenarios without effects keep their bytes.
import type { Comparison } from "../../result/compare.ts";
import type { RunResult } from "../../result/run.ts";
import {
  anomalyTable,
  hasTransactions,
  recoveryTable,
  TRANSACTION_ANOMALIES_TEXT,
  TRANSACTION_RECOVERY_TEXT,
  transactionDiffTable,
} from "../sections/compareTransactions.ts";
import { messagingText } from "../sections/messaging.ts";
import type { TextTable } from "../sections/tables.ts";
import {
  invariantTexts,
  sagasText,
  transactionsOf,
  transactionsText,
} from "../sections/transactions.ts";
import { compareTransactionCharts, transactionCharts } from "./charts/transactions.ts";
import { chartFigure, escapeHtml, htmlTable, paragraph } from "./page.ts";

const LEDE =
  "The scenario declares business effects, so the run kept a ledger of every order: what each operation really did to business state (an effect happens when the instance finishes the work, whether or not the answer reaches the caller), checked against the business invariants during the run and at the end. Counts are over the orders measured after the warm-up.";

export function transactionsHtml(result: RunResult): string {
  const t = transactionsOf(result);
  if (t === null) return "";
  const sagas = sagasText(t);
  const parts = [
    "<h2>Transactions</h2>",
    paragraph(LEDE),
    paragraph(transactionsText(t)),
    ...(sagas === null ? [] : [paragraph(sagas)]),
    ...(t.messaging === undefined ? [] : [paragraph(messagingText(t.messaging))]),
    `<ul>${invariantTexts(t)
      .map((line) => `<li>${escapeHtml(line)}</li>`)
      .join("")}</ul>`,
  ];
  if (t.sample.length > 0)
    parts.push(
      "<h3>Anomalous orders</h3>",
      paragraph("The first orders (up to ten) still anomalous at the end, with their ledgers."),
      htmlTable(
        ["order", "load", "anomalies", "charges", "refunds", "reserved", "released", "outcome"].map(
          (title, i) => ({ title, numeric: i >= 3 && i <= 6 }),
        ),
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
    );
  parts.push(...transactionCharts(t).map(chartFigure));
  return parts.join("\n");
}

const tableOf = (t: TextTable) => htmlTable(t.columns, t.rows);

/** The compare report's Transactions section, or "" when no variant declares effects. */
export function compareTransactionsHtml(comparison: Comparison): string {
  if (!hasTransactions(comparison)) return "";
  const diff = transactionDiffTable(comparison);
  return [
    "<h2>Transactions</h2>",
    paragraph(TRANSACTION_ANOMALIES_TEXT),
    tableOf(anomalyTable(comparison)),
    paragraph(TRANSACTION_RECOVERY_TEXT),
    tableOf(recoveryTable(comparison)),
    ...(diff === null
      ? []
      : [
          paragraph(
            `Each anomaly of each variant minus the same of ${comparison.baseline}, seed by seed, with the half-width of the 95% interval of those differences and a verdict (better or worse only when the whole interval is on one side of 0).`,
          ),
          tableOf(diff),
        ]),
    ...compareTransactionCharts(comparison).map(chartFigure),
  ].join("\n");
}
