// The HTML shell of a report: one self-contained page (inline CSS, system fonts, no script, no
// external resource), with helpers to escape text and to build tables and chart figures. Charts
// arrive as SVG strings rendered in Node (svg.ts), so the page needs nothing to display them.
// Printed (or saved as PDF), wide tables wrap their cells to the page instead of scrolling.

import type { Chart } from "./charts/common.ts";
import { renderSvg } from "./svg.ts";

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f7f9; color: #1f2328; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 28px 48px; background: white; min-height: 100vh; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 8px; padding-top: 8px; border-top: 1px solid #e3e6ea; }
h3 { font-size: 16px; margin: 20px 0 6px; }
p { margin: 6px 0 10px; max-width: 860px; }
.lede { color: #57606a; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
pre.verdict { margin: 8px 0; padding: 10px 14px; background: #f6f8fa; border-radius: 6px; line-height: 1.7; white-space: pre-wrap; }
.pass { color: #1a7f37; } .fail { color: #cf222e; }
.badge { display: inline-block; padding: 2px 10px; border-radius: 12px; font-weight: 600; font-size: 14px; }
.badge.pass { background: #dafbe1; } .badge.fail { background: #ffebe9; } .badge.none { background: #eaeef2; color: #57606a; }
table { border-collapse: collapse; margin: 8px 0 14px; font-size: 13px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e3e6ea; text-align: left; vertical-align: top; }
th, td.num { white-space: nowrap; }
th { background: #f6f8fa; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; }
figure.chart { margin: 8px 0 24px; }
figure.chart .svg { overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
.note { color: #57606a; font-style: italic; }
nav.toc { margin: 10px 0 4px; padding: 8px 12px; background: #f6f8fa; border-radius: 6px; font-size: 13px; line-height: 1.8; }
nav.toc a { color: #0969da; text-decoration: none; }
footer { margin-top: 40px; color: #57606a; font-size: 13px; }
@media print {
  @page { size: A4; margin: 12mm; }
  body { background: white; font-size: 11px; }
  main { max-width: none; padding: 0; min-height: 0; }
  nav.toc { display: none; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  figure.chart, tr { break-inside: avoid; }
  .table-wrap, figure.chart .svg { overflow: visible; }
  table { width: 100%; table-layout: auto; font-size: 8.5px; }
  th, td, th.num, td.num { white-space: normal; padding: 2px 4px; }
  td { overflow-wrap: anywhere; }
}
`;

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** `What was simulated` as `what-was-simulated`: an anchor for a heading. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/&[a-z]+;/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/**
 * Gives every `<h2>` of `body` an anchor and puts a table of contents linking to them after the first
 * `<h1>` and its lede (or at the top); a body with fewer than three sections is left alone.
 */
export function withContents(body: string): string {
  const sections: { id: string; title: string }[] = [];
  const used = new Set<string>();
  const anchored = body.replace(/<h2>(.*?)<\/h2>/g, (_, title: string) => {
    // Prefixed: a chart's figure may carry the bare slug (`alerts`, `critical-path`) as its id.
    const base = `section-${slug(title)}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    sections.push({ id, title });
    // An anchor before the heading, which stays `<h2>title</h2>` for readers of the source.
    return `<a id="${id}"></a><h2>${title}</h2>`;
  });
  if (sections.length < 3) return body;
  const nav = `<nav class="toc"><strong>Contents</strong> ${sections
    .map((s) => `<a href="#${s.id}">${s.title}</a>`)
    .join(" · ")}</nav>`;
  const lede = anchored.indexOf('class="lede"');
  const at = lede < 0 ? -1 : anchored.indexOf("</p>", lede);
  return at < 0
    ? `${nav}\n${anchored}`
    : `${anchored.slice(0, at + 4)}\n${nav}${anchored.slice(at + 4)}`;
}

/** A whole page: `body` is trusted HTML built by the report modules. */
export function htmlPage(title: string, body: string): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    "<main>",
    withContents(body),
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

export interface TableColumn {
  title: string;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
}

/** A table of plain-text cells (escaped here). */
export function htmlTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
): string {
  const cls = (c: TableColumn) => (c.numeric ? ' class="num"' : "");
  const head = columns.map((c) => `<th${cls(c)}>${escapeHtml(c.title)}</th>`).join("");
  const body = rows
    .map(
      (row) =>
        `<tr>${row.map((cell, i) => `<td${cls(columns[i])}>${escapeHtml(cell)}</td>`).join("")}</tr>`,
    )
    .join("\n");
  return `<div class="table-wrap"><table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

/** A chart as a figure: its title, the paragraph that explains it, then the SVG. */
export function chartFigure(chart: Chart): string {
  const { svg } = renderSvg(chart.spec, chart.id);
  return [
    `<figure class="chart" id="${chart.id}">`,
    `<h3>${escapeHtml(chart.title)}</h3>`,
    `<p>${escapeHtml(chart.explanation)}</p>`,
    `<div class="svg" data-chart="${chart.id}">${svg}</div>`,
    "</figure>",
  ].join("\n");
}

export function paragraph(text: string, className?: string): string {
  return `<p${className === undefined ? "" : ` class="${className}"`}>${escapeHtml(text)}</p>`;
}
