// Name and reference patterns of scenario files, shared by the schema and the loader.

/** Scenario and load names. */
export const NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;
/** Service and operation names: no dot, so `service.op` is unambiguous. */
export const IDENT_PATTERN = /^[A-Za-z0-9_-]+$/;
/** `service.operation`, as written in `call` and `target`. */
export const OPERATION_REF_PATTERN = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;
/** A threshold key: a metric, optionally with a k6 tag selecting one load. */
export const THRESHOLD_KEY_PATTERN = /^(latency|errors)(?:\{load:([A-Za-z0-9_.-]+)\})?$/;

/** An Istio locality rule: region[/zone[/subzone]], each part a name or `*`. */
export const LOCALITY_RULE_PATTERN = /^(\*|[A-Za-z0-9_.-]+)(\/(\*|[A-Za-z0-9_.-]+)){0,2}$/;
