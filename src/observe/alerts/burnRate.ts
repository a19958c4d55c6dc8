// The SRE workbook's multiwindow, multi-burn-rate alert (ch. 5, "Alerting on SLOs"): the burn rate
// over a window is the error ratio there divided by the error budget (1 − objective); a window pair
// alerts when both its long and short window burn faster than its rate (the short one makes the
// alert stop soon after the errors do), and pairs are ORed. The error ratio is what the workbook's
// recording rules compute, with Prometheus' increase() (see promql/rangeFunctions.ts):
//   load availability   Σ increase(failed) / (increase(completed) + Σ increase(failed))
//   load latency        (increase(count) − increase(bucket{le=T}) + Σ increase(failed)) / (increase(count) + Σ increase(failed))
//   service availability Σ increase(errors) / Σ increase(requests)
//   service latency     (increase(count) − increase(bucket{le=T}) + Σ increase(errors)) / Σ increase(requests)
// (a service's histogram holds its failed calls too, so a slow failure counts twice: an upper bound).
// Ratios are clamped to [0, 1] (extrapolation can push a difference of increases a little past
// either end). A window with no finished request has no ratio and does not alert.
import type { CallNode, Matcher, SelectorNode } from "./promql/ast.ts";
import type { Evaluator } from "./promql/evaluate.ts";
import type { Severity, SloSpec } from "./types.ts";

const NOWHERE = { start: 0, end: 0 };

/** The `le` label of a bucket bound, as BucketHistogram writes it (seconds). */
export function leLabel(boundMs: number): string {
  return String(boundMs / 1000);
}

export class BurnRateCondition {
  /** Builds increase(<sample>{<target>, extra}[window]) for each window length. */
  private readonly increases = new Map<string, CallNode>();

  constructor(private readonly slo: SloSpec) {}

  /** Which severities' window pairs all burn too fast at `nowMs` (each severity at most once, in window order). */
  firing(evaluator: Evaluator, nowMs: number): Severity[] {
    const out: Severity[] = [];
    for (const pair of this.slo.windows) {
      if (out.includes(pair.severity)) continue;
      const long = this.burnRate(evaluator, pair.longMs, nowMs);
      if (long === null || !(long > pair.burnRate)) continue;
      const short = this.burnRate(evaluator, pair.shortMs, nowMs);
      if (short !== null && short > pair.burnRate) out.push(pair.severity);
    }
    return out;
  }

  /** The error ratio over the window divided by the error budget, or null without traffic. */
  burnRate(evaluator: Evaluator, windowMs: number, nowMs: number): number | null {
    const ratio = this.errorRatio(evaluator, windowMs, nowMs);
    return ratio === null ? null : ratio / this.slo.budget;
  }

  errorRatio(evaluator: Evaluator, windowMs: number, nowMs: number): number | null {
    const { target, sli, thresholdMs } = this.slo;
    const sum = (sample: string, extra: Matcher[] = []) =>
      this.sumOfIncrease(evaluator, sample, extra, windowMs, nowMs);
    const slow = () => {
      const le = leLabel(thresholdMs!);
      const prefix =
        target.kind === "load"
          ? "meshsim_load_request_duration_seconds"
          : "meshsim_request_duration_seconds";
      return sum(`${prefix}_count`) - sum(`${prefix}_bucket`, [matcher("le", le)]);
    };
    let bad: number;
    let total: number;
    if (target.kind === "load") {
      const failed = sum("meshsim_load_failed_total");
      if (sli === "availability") {
        bad = failed;
        total = sum("meshsim_load_completed_total") + failed;
      } else {
        bad = slow() + failed;
        total = sum("meshsim_load_request_duration_seconds_count") + failed;
      }
    } else {
      const errors = sum("meshsim_request_errors_total");
      bad = sli === "availability" ? errors : slow() + errors;
      total = sum("meshsim_requests_total");
    }
    if (!(total > 0)) return null;
    return Math.min(1, Math.max(0, bad / total));
  }

  /** Σ increase(sample{target, extra}[window]); a series with too few samples adds nothing. */
  private sumOfIncrease(
    evaluator: Evaluator,
    sample: string,
    extra: Matcher[],
    windowMs: number,
    nowMs: number,
  ): number {
    const key = `${sample}|${extra.map((m) => m.value).join(",")}|${windowMs}`;
    let node = this.increases.get(key);
    if (node === undefined) {
      const selector: SelectorNode = {
        kind: "selector",
        metric: sample,
        matchers: [matcher(this.slo.target.kind, this.slo.target.name), ...extra],
        offsetMs: 0,
        span: NOWHERE,
        nameSpan: NOWHERE,
      };
      node = {
        kind: "call",
        func: "increase",
        args: [{ kind: "matrix", selector, rangeMs: windowMs, rangeSpan: NOWHERE, span: NOWHERE }],
        nameSpan: NOWHERE,
        span: NOWHERE,
      };
      this.increases.set(key, node);
    }
    let total = 0;
    for (const s of evaluator.vectorAt(node, nowMs)) total += s.value;
    return total;
  }
}

function matcher(label: string, value: string): Matcher {
  return { label, op: "=", value, regex: null, span: NOWHERE };
}
