// How the rest of the world addresses an instance and its service, without the station behind
// them: its id, its place among its service's instances, its zone. Balancers, partitions,
// observers and spans need no more; Instance (instance.ts) and Service (service.ts) are these.

/** A service as its operations and instances name it (the Service class, service.ts, is one). */
export interface ServiceRef {
  readonly name: string;
  /** Position in the scenario's service list: a dense index for per-service arrays. */
  readonly index: number;
}

/** Istio's locality of an instance or proxy: region/zone/subzone, "" where not given. */
export interface Locality {
  readonly region: string;
  readonly zone: string;
  readonly subzone: string;
}

/** An instance as it is addressed (the Instance class, instance.ts, is one). */
export interface Endpoint {
  /** e.g. "payment-2". */
  readonly id: string;
  /** Position among its service's instances: a dense index for per-instance arrays. */
  readonly index: number;
  readonly zone: string;
  readonly service: ServiceRef;
}
