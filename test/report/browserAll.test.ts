// Every shipped scenario's report.html, and the compare report of each that has a compare:
// section, in headless Chromium: no console error, no request but the file, and every chart mark
// whose data has rows drawn with some paint (a bar in a colour outside its scale's domain is drawn
// unfilled: the states timeline did that to pod and registry states). Runs are shortened (at most
// 4 minutes; compares on one seed) to keep the test affordable: the reports'
// shape, not their figures, is checked here. Then the checkout report printed to PDF keeps every
// table's column headers (wide tables used to be cut off in print). `npm test` opens a subset that
// has data in every chart mark the whole set has (BROWSER_SUBSET below: 8 of 23 run reports, 2 of
// 14 compare reports); MESHSIM_LONG=1 (`npm run test:long`) opens every shipped scenario.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { compare } from "../../src/experiment/compare.ts";
import type { Chart } from "../../src/report/html/charts/common.ts";
import {
  compareTransactionCharts,
  transactionCharts,
} from "../../src/report/html/charts/transactions.ts";
import { compareCharts, renderCompareHtml } from "../../src/report/html/compareReport.ts";
import {
  controlPlaneCharts,
  renderHtmlReport,
  runCharts,
} from "../../src/report/html/runReport.ts";
import type { RunResult } from "../../src/result/run.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { loadScenarioFile, parseOverridePath, parseScenario } from "../../src/scenario/loader.ts";
import { shippedScenarios } from "../golden/summary.ts";
import { findChromium } from "./chromium.ts";
import { openReport, paintedMarks } from "./openReport.ts";
import { marksWithRows } from "./visibleMarks.ts";

const root = resolve(import.meta.dirname, "../..");
const chromiumPath = findChromium();
const RUN_CAP_MS = 4 * 60_000;
const LONG = process.env.MESHSIM_LONG === "1";

/**
 * The scenarios whose run reports `npm test` opens: few (picked greedily) whose charts have data in
 * every mark that any shipped scenario's have (brownout: the alert layers and the instance
 * spread's fault layers; rolling-update: pods; canary-shift: config versions; eureka-stale:
 * staleness; zero-trust: security; checkout: the critical path; flash-sale-autoscale: the load
 * stage marks on the pods chart; checkout-tcc: the transactions charts, outcomes included). With MESHSIM_LONG=1 the last test checks that this still holds.
 * Their compare reports: zero-trust and payment-brownout (a fault window in a comparison).
 */
const BROWSER_SUBSET = {
  runs: [
    "payment-brownout",
    "rolling-update",
    "checkout",
    "canary-shift",
    "eureka-stale",
    "zero-trust",
    "flash-sale-autoscale",
    "checkout-tcc",
  ],
  compares: ["zero-trust", "payment-brownout"],
};

/** The values a shortened run puts over its file's. */
interface ShortenedSet {
  duration?: string;
  warmup?: string;
  faults?: unknown[];
}

/** A shipped scenario, its duration capped (and its warm-up kept below it). */
function shortened(name: string, capMs: number): { text: string; file: string; set: ShortenedSet } {
  const file = join(root, "scenarios", `${name}.yaml`);
  const scenario = loadScenarioFile(file);
  const set: ShortenedSet = {};
  const text = readFileSync(file, "utf8");
  if (scenario.durationMs > capMs) {
    set.duration = `${capMs / 1000}s`;
    if (scenario.warmupMs >= capMs / 2) set.warmup = `${capMs / 4000}s`;
    // Faults the shortened run ends before would be refused (they must start before the end).
    if (scenario.faults.some((f) => f.atMs >= capMs)) {
      const written = (parseYaml(text) as { faults: unknown[] }).faults;
      const kept = written.filter((_, i) => scenario.faults[i].atMs < capMs);
      set.faults = kept;
    }
  }
  return { text, file, set };
}

function runShortened(name: string): RunResult {
  const { text, file, set } = shortened(name, RUN_CAP_MS);
  const overrides = Object.entries(set).map(([path, value]) => ({
    path: parseOverridePath(path)!,
    value,
    origin: "browser test",
  }));
  return runScenario(parseScenario(text, file, overrides));
}

/** Per chart id, the marks that must be painted. */
function expectations(charts: readonly (Chart | null)[]): Record<string, string[]> {
  return Object.fromEntries(
    charts.filter((c): c is Chart => c !== null).map((c) => [c.id, marksWithRows(c.spec)]),
  );
}

describe.skipIf(chromiumPath === null)(
  "every shipped scenario's reports in headless Chromium",
  () => {
    let browser: Browser;
    const dir = mkdtempSync(join(tmpdir(), "meshsim-browser-all-"));

    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: chromiumPath!, args: ["--no-sandbox"] });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
    });

    const open = (name: string, html: string) => openReport(browser, dir, name, html);

    /** Per scenario run, the chart marks that had data ("chart/mark"), for the subset's check. */
    const drawn = new Map<string, string[]>();

    async function check(name: string, html: string, charts: readonly (Chart | null)[]) {
      const { page, problems, requests, url } = await open(name, html);
      const expected = expectations(charts);
      drawn.set(
        name,
        Object.entries(expected).flatMap(([id, marks]) => marks.map((m) => `${id}/${m}`)),
      );
      const painted = await paintedMarks(page, expected);
      for (const [id, names] of Object.entries(expected)) {
        expect(names.length, `${name}: chart ${id} has no mark with data`).toBeGreaterThan(0);
        for (const mark of names)
          expect(
            painted[id][mark],
            `${name}: chart ${id}, mark ${mark} has rows but nothing painted (${JSON.stringify(painted[id])})`,
          ).toBeGreaterThan(0);
      }
      expect(problems, name).toEqual([]);
      expect(requests, name).toEqual([url]);
      await page.close();
    }

    it("opens only shipped scenarios in its subset", () => {
      const shipped = shippedScenarios();
      const subset = [...BROWSER_SUBSET.runs, ...BROWSER_SUBSET.compares];
      expect(subset.filter((name) => !shipped.includes(name))).toEqual([]);
      const withoutCompare = BROWSER_SUBSET.compares.filter(
        (name) => loadScenarioFile(join(root, "scenarios", `${name}.yaml`)).compare === null,
      );
      expect(withoutCompare).toEqual([]);
    });

    it.each(LONG ? shippedScenarios() : BROWSER_SUBSET.runs)(
      "%s: report.html paints every mark that has data",
      async (name) => {
        const result = runShortened(name);
        const runs = runCharts(result);
        const control = controlPlaneCharts(result);
        await check(name, renderHtmlReport(result), [
          runs.latency,
          runs.traffic,
          runs.states,
          runs.instances,
          runs.services,
          runs.instanceSpread,
          runs.saturation,
          runs.alerts,
          runs.criticalPath,
          control.pods,
          control.staleness,
          control.configVersions,
          control.security,
          ...(result.transactions === undefined ? [] : transactionCharts(result.transactions)),
        ]);
      },
      180_000,
    );

    const withCompare = (LONG ? shippedScenarios() : BROWSER_SUBSET.compares).filter(
      (name) => loadScenarioFile(join(root, "scenarios", `${name}.yaml`)).compare !== null,
    );

    it.each(withCompare)(
      "%s: the compare report paints every mark that has data",
      async (name) => {
        const { text, set } = shortened(name, RUN_CAP_MS);
        let yaml = text;
        if (set.duration !== undefined)
          yaml = yaml.replace(/^duration: .*$/m, `duration: ${set.duration}`);
        if (set.warmup !== undefined) yaml = yaml.replace(/^warmup: .*$/m, `warmup: ${set.warmup}`);
        const file = join(dir, `${name}.yaml`);
        writeFileSync(file, yaml);
        const comparison = await compare(file, { seeds: 1, workers: "inline" });
        await check(`${name}-compare`, renderCompareHtml(comparison), [
          ...compareCharts(comparison),
          ...compareTransactionCharts(comparison),
        ]);
      },
      300_000,
    );

    // What makes the subset enough: checked whenever every scenario is opened.
    it.runIf(LONG)(
      "the subset's run reports have data in every chart mark any shipped scenario's have",
      () => {
        const all = new Set(
          [...drawn.entries()].filter(([n]) => !n.endsWith("-compare")).flatMap(([, m]) => m),
        );
        const subset = new Set(BROWSER_SUBSET.runs.flatMap((n) => drawn.get(n) ?? []));
        const missing = [...all].filter((mark) => !subset.has(mark)).sort();
        const where = missing.map(
          (mark) => `${mark}: ${[...drawn].filter(([, m]) => m.includes(mark)).map(([n]) => n)}`,
        );
        expect(where).toEqual([]);
      },
    );

    it("prints the checkout report to PDF with every table's column headers on the page", async () => {
      const result = runScenario(
        parseScenario(
          readFileSync(join(root, "scenarios/checkout.yaml"), "utf8"),
          "checkout.yaml",
          [
            { path: ["duration"], value: "2m", origin: "browser test" },
            { path: ["warmup"], value: "30s", origin: "browser test" },
          ],
        ),
      );
      const html = renderHtmlReport(result);
      const headers = [...html.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) =>
        m[1].replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">"),
      );
      expect(headers).toContain("max ms");
      const { page } = await open("checkout-print", html);
      await page.emulateMedia({ media: "print" });
      const pdf = await page.pdf({ format: "A4", printBackground: true });
      await page.close();
      const text = await pdfText(pdf);
      for (const header of new Set(headers))
        expect(text, `column header "${header}" missing from the PDF`).toContain(normalise(header));
    }, 120_000);
  },
);

/**
 * Whitespace collapsed, and the spaces pdf.js puts around a ligature (`o ff ered`, `the fi rst`)
 * dropped, in the header and the PDF text alike.
 */
function normalise(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .replace(/ ?(ffi|ffl|ff|fi|fl) ?/g, "$1")
    .trim();
}

/** The text of every page of a PDF, items joined by spaces, whitespace collapsed (pdf.js, Mozilla's reader). */
async function pdfText(pdf: Buffer): Promise<string> {
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" "));
  }
  await doc.destroy();
  return normalise(pages.join(" "));
}
