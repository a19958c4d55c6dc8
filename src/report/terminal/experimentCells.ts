// Cells of the experiment tables (sweep and compare, terminal and Markdown): a figure with its
// 95% interval as `12.3 ±0.41`, a paired difference with its verdict, a threshold verdict as a
// mark. The intervals meshsim reports are symmetric (Student t), so ± is half their width.
import type { DiffVerdict } from "../../result/compare.ts";
import type { Ci95, ThresholdFigure } from "../../result/experiment.ts";
import { formatMs } from "../sections/summaryRows.ts";

export function plusMinus(value: number, ci: Ci95, format: (x: number) => string): string {
  if (ci === null) return format(value);
  const half = (ci[1] - ci[0]) / 2;
  return `${format(value)} ±${format(half)}`;
}

export const msCell = (value: number, ci: Ci95): string => plusMinus(value, ci, formatMs);

export function percentText(x: number): string {
  const percent = x * 100;
  if (percent === 0 || Math.abs(percent) >= 0.1) return `${percent.toFixed(2)}%`;
  return `${Number(percent.toPrecision(2))}%`;
}

export const percentCell = (value: number, ci: Ci95): string => plusMinus(value, ci, percentText);

export function rateText(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toPrecision(3);
}

export const rateCell = (value: number, ci: Ci95): string => plusMinus(value, ci, rateText);

function signed(format: (x: number) => string): (x: number) => string {
  return (x) => (x > 0 ? `+${format(x)}` : x < 0 ? `-${format(-x)}` : format(0));
}

const VERDICT_MARK: Record<DiffVerdict, string> = {
  better: "better",
  worse: "worse",
  "no significant difference": "same",
};

/** `+7.2 ±1.1 worse`: the paired difference, its half-width and the verdict. */
export function diffCell(
  value: number,
  ci: Ci95,
  verdict: DiffVerdict | null,
  format: (x: number) => string,
): string {
  const text =
    ci === null
      ? signed(format)(value)
      : `${signed(format)(value)} ±${format((ci[1] - ci[0]) / 2)}`;
  return verdict === null ? text : `${text} ${VERDICT_MARK[verdict]}`;
}

export const THRESHOLD_MARK = { pass: "✓", fail: "✗", undecided: "?" } as const;

/** One mark per threshold, in the scenario's order: ✓ pass, ✗ fail, ? undecided. */
export function thresholdMarks(thresholds: readonly ThresholdFigure[]): string {
  return thresholds.map((t) => THRESHOLD_MARK[t.verdict]).join(" ");
}

export function valueText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
