// The wait before a compensation's retry: Envoy's fully jittered exponential back-off, the law
// mesh/resilience/retryBackOff.ts documents for the sidecar's retries (retry n waits an integer
// uniform on [0, min((2^n − 1)·base, max)) ms). Restated here because src/transactions/ may not
// import the mesh; the draw u in [0, 1) comes from the request's keyed stream.
import type { CompensationRetrySpec } from "./spec.ts";

/** The wait in ms before retry `retryNumber` (1-based); 0 without back-off (the storm). */
export function compensationDelay(
  retry: CompensationRetrySpec,
  retryNumber: number,
  u: number,
): number {
  const backoff = retry.backoff;
  if (backoff === null) return 0;
  const bound =
    retryNumber > 52
      ? backoff.maxMs
      : Math.min((2 ** retryNumber - 1) * backoff.baseMs, backoff.maxMs);
  return Math.floor(u * bound);
}
