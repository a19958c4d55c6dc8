// The Transactions section of report.html in headless Chromium, for scenarios/checkout-saga.yaml
// (shortened to 2 minutes): the run report and the compare report (two seeds) each have the
// section, every one of its charts is there, and every chart mark whose data has rows is painted.
// The section's figures are those of the result: the anomaly bars read the ledger's counts.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compare } from "../../src/experiment/compare.ts";
import type { Chart } from "../../src/report/html/charts/common.ts";
import {
  compareTransactionCharts,
  transactionCharts,
} from "../../src/report/html/charts/transactions.ts";
import { renderCompareHtml } from "../../src/report/html/compareReport.ts";
import { renderHtmlReport } from "../../src/report/html/runReport.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { parseScenario } from "../../src/scenario/loader.ts";
import { findChromium } from "./chromium.ts";
import { openReport, paintedMarks } from "./openReport.ts";
import { marksWithRows } from "./visibleMarks.ts";

const root = resolve(import.meta.dirname, "../..");
const chromiumPath = findChromium();
const text = readFileSync(join(root, "scenarios/checkout-saga.yaml"), "utf8")
  .replace(/^duration: .*$/m, "duration: 2m")
  .replace(/^warmup: .*$/m, "warmup: 20s");

describe.skipIf(chromiumPath === null)("the Transactions section in headless Chromium", () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), "meshsim-transactions-"));

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath!, args: ["--no-sandbox"] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function expectPainted(name: string, html: string, charts: Chart[]) {
    const { page, problems } = await openReport(browser, dir, name, html);
    const headings = await page.$$eval("h2", (hs) => hs.map((h) => h.textContent));
    expect(headings).toContain("Transactions");
    const expected = Object.fromEntries(charts.map((c) => [c.id, marksWithRows(c.spec)]));
    const painted = await paintedMarks(page, expected);
    for (const [id, names] of Object.entries(expected)) {
      expect(names.length, `chart ${id} has no mark with data`).toBeGreaterThan(0);
      for (const mark of names)
        expect(
          painted[id][mark],
          `chart ${id}, mark ${mark}: ${JSON.stringify(painted[id])}`,
        ).toBeGreaterThan(0);
    }
    expect(problems).toEqual([]);
    await page.close();
  }

  it("paints the run report's anomalies, effects and window charts", async () => {
    const result = runScenario(parseScenario(text, "checkout-saga.yaml"));
    const t = result.transactions!;
    expect(t.doubleCharges).toBeGreaterThan(0);
    const charts = transactionCharts(t);
    expect(charts.map((c) => c.id)).toEqual([
      "transactions-anomalies",
      "transactions-effects",
      "transactions-window",
    ]);
    // The bar of double charges is the ledger's count.
    const values = (charts[0].spec as { data: { values: { kind: string; value: number }[] } }).data
      .values;
    expect(values.find((r) => r.kind === "double charges")?.value).toBe(t.doubleCharges);
    await expectPainted("checkout-saga", renderHtmlReport(result), charts);
  }, 120_000);

  it("paints the compare report's charts per variant", async () => {
    const file = join(dir, "checkout-saga.yaml");
    writeFileSync(file, text);
    const comparison = await compare(file, { seeds: 2, workers: "inline" });
    const charts = compareTransactionCharts(comparison);
    expect(charts.map((c) => c.id)).toEqual([
      "compare-transactions-anomalies",
      "compare-transactions-recovery",
      "compare-transactions-window",
    ]);
    const html = renderCompareHtml(comparison);
    expect(html).toContain("charged twice (money)");
    await expectPainted("checkout-saga-compare", html, charts);
  }, 240_000);
});
