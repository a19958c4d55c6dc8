// An idempotency-key store at the callee, after Stripe's idempotent requests: the first request
// with a key runs and its result (status, errors included) is stored once it ends; a later request
// with the same key gets the stored result replayed without running the work again (so without a
// second effect); one that arrives while the first is still running is refused with 409 Conflict
// (Stripe), or, with `concurrent: wait`, held until the first ends and then given its result. A
// stored key protects for `retention` (Stripe keeps keys at least 24 h), then is forgotten. An
// execution that is lost (its instance died, or it was aborted) stores nothing and frees the key,
// as a request that never reached the store's write. Leaves out Stripe's parameter comparison (a
// reused key with other parameters): every request with one key here is the same logical request.
// The key is the logical request's id or one of its attributes; with `scope: try` every try has
// its own key (the common bug: a key minted per attempt), which no store can match, so such an
// operation needs no store at all.
import {
  Admission,
  type GatedCall,
  type IdempotencyGate,
  type ParkedAnswer,
} from "../model/effects.ts";
import type { EndUserRequest } from "../model/request.ts";
import type { IdempotencySpec } from "./spec.ts";

/** Stripe's status for a duplicate that arrives while the first request with its key runs. */
export const CONFLICT = 409;

/** What the stores saw of measured requests, over the run. */
export interface IdempotencyCounts {
  replayed: number;
  conflicts: number;
  waited: number;
}

interface Entry {
  /** The call whose execution holds the key, or null once its result is stored. */
  owner: GatedCall | null;
  status: number;
  storedAt: number;
  /** Duplicates parked until the owner ends (concurrent: wait), with where to answer them. */
  waiters: { call: GatedCall; station: ParkedAnswer }[] | null;
}

export class IdempotencyStore implements IdempotencyGate {
  /** By key, in the order results were stored (so the oldest expire first). */
  private readonly entries = new Map<string | number, Entry>();

  constructor(
    private readonly spec: IdempotencySpec,
    /** The attribute's scenario-wide index when the key is an attribute, else -1. */
    private readonly attributeIndex: number,
    private readonly clock: { readonly now: number },
    private readonly counts: IdempotencyCounts,
  ) {}

  begin(call: GatedCall, station: ParkedAnswer): number {
    const key = this.keyOf(call.request);
    if (key === undefined) return Admission.proceed;
    this.expire();
    const entry = this.entries.get(key);
    const measured = call.request.measured;
    if (entry === undefined) {
      this.entries.set(key, { owner: call, status: 0, storedAt: 0, waiters: null });
      return Admission.proceed;
    }
    if (entry.owner === null) {
      if (measured) this.counts.replayed++;
      return entry.status;
    }
    if (this.spec.concurrent === "conflict") {
      if (measured) this.counts.conflicts++;
      return CONFLICT;
    }
    if (measured) this.counts.waited++;
    if (entry.waiters === null) entry.waiters = [];
    entry.waiters.push({ call, station });
    return Admission.parked;
  }

  end(call: GatedCall, status: number): void {
    const key = this.keyOf(call.request);
    if (key === undefined) return;
    const entry = this.entries.get(key);
    if (entry === undefined || entry.owner !== call) return;
    this.entries.delete(key);
    const waiters = entry.waiters;
    if (status === 0) {
      // Lost: nothing stored and the key is free. Its waiters were never run: each is refused
      // as a concurrent duplicate would have been, and its caller may try again.
      if (waiters !== null) for (const w of waiters) w.station.answerParked(w.call, CONFLICT);
      return;
    }
    entry.owner = null;
    entry.status = status;
    entry.storedAt = this.clock.now;
    entry.waiters = null;
    this.entries.set(key, entry);
    if (waiters !== null) for (const w of waiters) w.station.answerParked(w.call, status);
  }

  /** Forgets stored results older than the retention (oldest first; running keys are skipped). */
  private expire(): void {
    const oldest = this.clock.now - this.spec.retentionMs;
    for (const [key, entry] of this.entries) {
      if (entry.owner !== null) continue;
      if (entry.storedAt >= oldest) return;
      this.entries.delete(key);
    }
  }

  private keyOf(request: EndUserRequest): string | number | undefined {
    if (this.attributeIndex < 0) return request.id;
    const attributes = request.attributes;
    return attributes === null ? undefined : attributes[this.attributeIndex];
  }
}
