// An orchestrated saga as the loader hands it over (Garcia-Molina and Salem's sagas, as
// orchestrators such as Eventuate Tram, Temporal and Seata's saga mode run them): the operation's
// call steps, each with the operation that compensates it (or none), the saga's timeout, and the
// retry policy of its compensations. Types only.

/** How a failed compensation is tried again. */
export interface CompensationRetrySpec {
  /** Tries of each compensation, the first included (1: no retry). */
  attempts: number;
  /**
   * Envoy's fully jittered exponential back-off before retry n: U[0, min((2^n − 1)·base, max)) ms,
   * the draw from the request's keyed stream; null: retry as soon as the failure is known (the storm).
   */
  backoff: { baseMs: number; maxMs: number } | null;
}

export interface SagaSpec {
  service: string;
  operation: string;
  /** After this long the saga counts as timed out: it stops its forward steps and compensates. */
  timeoutMs: number;
  /**
   * Also compensate the step that failed (Temporal's saga pattern registers a compensation before
   * its activity runs, since a failed or timed-out call may still have done its work); false: only
   * steps that completed (Eventuate Tram, BPMN compensation).
   */
  compensateFailed: boolean;
  retry: CompensationRetrySpec;
  /**
   * The compensating operation (`service.operation`) of each call step of the operation's call
   * graph, in file order depth first (the order the model resolves the steps in), or null for a
   * step that needs none.
   */
  compensations: (string | null)[];
}
