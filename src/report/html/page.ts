// The HTML shell of a report: one self-contained page (inline CSS, system fonts, no script, no
// external resource), with helpers to escape text and to build tables and chart figures. Charts
// arrive as SVG strings rendered in Node (svg.ts), so the page needs nothing to display them.

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
footer { margin-top: 40px; color: #57606a; font-size: 13px; }
`;

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
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
    body,
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
