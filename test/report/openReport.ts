// Opening a report in headless Chromium for the browser tests: the report is written to a file in
// `dir`, opened in a new page (1040 px wide), and every console error or warning, page error and
// request is collected, so a test can assert that nothing went wrong and nothing but the file was fetched.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";

export interface OpenedReport {
  page: Page;
  /** Console errors and warnings and page errors, as `console error: ...` / `page error: ...`. */
  problems: string[];
  /** Every URL the page requested: only `url` when the report is self-contained. */
  requests: string[];
  url: string;
}

export async function openReport(
  browser: Browser,
  dir: string,
  name: string,
  html: string,
): Promise<OpenedReport> {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const page = await browser.newPage({ viewport: { width: 1040, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning")
      problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(url, { waitUntil: "load" });
  return { page, problems, requests, url };
}
