// The cap on concurrent retries one proxy sends to one cluster: Envoy's circuit-breaker `retries`
// resource (source/common/upstream/resource_manager_impl.h, RetryBudgetImpl), checked by the router
// before it schedules a retry; refused, the failed answer goes downstream (upstream_rq_retry_overflow).
// Left out: runtime overrides, priorities, and Envoy's brief over-admission races between workers.
//
// Semantics kept from Envoy's source:
// - With a retry budget, the limit is max(trunc(budgetPercent / 100 * (active + pending requests)),
//   minRetryConcurrency), recomputed at each decision, and a retry is allowed while active retries
//   < limit (strictly). The product is truncated toward zero by the conversion to uint64, so 20% of
//   24 requests is 4, not 4.8. Envoy's defaults when a budget is set: 20% and 3.
// - Without a budget the static `max_retries` threshold applies: active retries < maxRetries
//   (Envoy default 3; Istio sets 2^32 - 1 because 3 caused 503s during pod churn). A budget, when
//   set, overrides max_retries entirely.
// - "Active retries" counts a retry from the moment it is scheduled (back-off included) until its
//   attempt ends (RetryStateImpl inc() at shouldRetry, dec() at resetRetry). The caller keeps it.

export interface RetryBudgetConfig {
  /** Percent of active + pending requests that may be retries at once, in [0, 100]. */
  budgetPercent: number;
  /** Retries always allowed at once, whatever the load: an integer >= 0. */
  minRetryConcurrency: number;
}

/** One limit, whichever Envoy applies: the budget if one is set, else max_retries. */
export interface RetryLimit {
  /** The most retries that may be active at once, given this proxy's requests to the cluster. */
  maxActiveRetries(activeRequests: number, pendingRequests: number): number;
  /** Whether one more retry may be scheduled now (Envoy `retries().canCreate()`). */
  canRetry(activeRequests: number, pendingRequests: number, activeRetries: number): boolean;
}

export class RetryBudget implements RetryLimit {
  private readonly fraction: number;
  private readonly minimum: number;

  constructor(config: RetryBudgetConfig) {
    const { budgetPercent, minRetryConcurrency } = config;
    if (!(budgetPercent >= 0 && budgetPercent <= 100)) {
      throw new RangeError(
        `retry budgetPercent must be a percent in [0, 100], got ${budgetPercent}`,
      );
    }
    if (!(Number.isSafeInteger(minRetryConcurrency) && minRetryConcurrency >= 0)) {
      throw new RangeError(
        `retry minRetryConcurrency must be an integer >= 0, got ${minRetryConcurrency}`,
      );
    }
    this.fraction = budgetPercent / 100;
    this.minimum = minRetryConcurrency;
  }

  maxActiveRetries(activeRequests: number, pendingRequests: number): number {
    return Math.max(Math.trunc(this.fraction * (activeRequests + pendingRequests)), this.minimum);
  }

  canRetry(activeRequests: number, pendingRequests: number, activeRetries: number): boolean {
    return activeRetries < this.maxActiveRetries(activeRequests, pendingRequests);
  }
}

export class MaxRetries implements RetryLimit {
  constructor(private readonly maxRetries: number) {
    if (!(Number.isSafeInteger(maxRetries) && maxRetries >= 0)) {
      throw new RangeError(`maxRetries must be an integer >= 0, got ${maxRetries}`);
    }
  }

  maxActiveRetries(): number {
    return this.maxRetries;
  }

  canRetry(_activeRequests: number, _pendingRequests: number, activeRetries: number): boolean {
    return activeRetries < this.maxRetries;
  }
}

/** Envoy's choice: a budget overrides max_retries when set; `null` means no budget. */
export function createRetryLimit(budget: RetryBudgetConfig | null, maxRetries: number): RetryLimit {
  const fallback = new MaxRetries(maxRetries); // checked even when a budget hides it, as Envoy keeps both
  return budget === null ? fallback : new RetryBudget(budget);
}
