// Opening a report in headless Chromium for the browser tests: the report is written to a file in
// `dir`, opened in a new page (1040 px wide), and every console error or warning, page error and
// request is collected, so a test can assert that nothing went wrong and nothing but the file was fetched;
// and how many items of each named mark of each chart are painted.
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

/** Per chart id and mark name, how many of the mark's items are painted (fill or stroke, with a size). */
export async function paintedMarks(page: Page, expected: Record<string, string[]>) {
  return page.evaluate((want) => {
    const out: Record<string, Record<string, number>> = {};
    for (const [id, names] of Object.entries(want)) {
      out[id] = {};
      const container = document.querySelector(`[data-chart="${id}"]`);
      for (const name of names) {
        const groups =
          container === null ? [] : [...container.querySelectorAll(`g.role-mark.${name}`)];
        let painted = 0;
        for (const group of groups)
          for (const el of group.children) {
            const style = getComputedStyle(el);
            const box = (el as SVGGraphicsElement).getBBox();
            const paint = style.fill !== "none" || style.stroke !== "none";
            if (paint && Number(style.opacity) > 0 && (box.width > 0 || box.height > 0)) painted++;
          }
        out[id][name] = painted;
        if (painted === 0) out[id][`${name} (groups)`] = groups.length;
      }
    }
    return out;
  }, expected);
}
