// One invocation of an operation at one instance, made on behalf of an end-user request.
// The sending proxy fills in where it went; the instance fills in when it queued and started.
import type { Instance } from "./instance.ts";
import type { Operation } from "./service.ts";
import type { EndUserRequest, Reply } from "./request.ts";

/** The caller's side of a call (a sidecar proxy): sends it, and gets the answer back. */
export interface Outbound {
  send(call: Call): void;
  receive(call: Call, status: number): void;
}

export class Call {
  /** Set by the sending proxy. */
  outbound: Outbound | null = null;
  endpointIndex = -1;
  /** Which of the proxy's clusters for the target service (0: all instances; k: subset k − 1). */
  cluster = 0;
  sentAt = 0;
  /** Whether caller and instance are in different zones (both legs pay the cross-zone cost). */
  crossesZones = false;
  /** Set by the instance. */
  instance: Instance | null = null;
  arrivedAt = 0;
  startedAt = 0;

  constructor(
    readonly request: EndUserRequest,
    readonly operation: Operation,
    /** Call-site key for keyed draws: the path from the end-user request to this call. */
    readonly site: number,
    readonly reply: Reply,
  ) {}
}
