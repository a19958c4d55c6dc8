// The transactions settings as the loader hands them over, typed and defaulted: per operation,
// the business effects it applies when its work commits and its idempotency-key store (Stripe's
// semantics), the orchestrated sagas and TCC, and the messaging (messaging/spec.ts). Null for a
// scenario that declares none of these, so such a run builds none of this.
import type { MessagingSpec } from "./messaging/spec.ts";
import type { SagaSpec } from "./saga/spec.ts";
import type { TccSpec } from "./tcc/spec.ts";

/** What an effect does to an order's ledger (an order is one logical end-user request). */
export type EffectKind = "charge" | "refund" | "reserve" | "release" | "create" | "cancel";

/** The kinds in a fixed order: the ledger counts and switches on their index. */
export const EFFECT_KINDS: readonly EffectKind[] = [
  "charge",
  "refund",
  "reserve",
  "release",
  "create",
  "cancel",
];

export interface EffectSpec {
  kind: EffectKind;
  /** Money for charge and refund, units of stock for reserve and release; 1 for the others. */
  amount: number;
}

/** Where an idempotency key comes from. */
export type KeySource =
  /** The end-user request's id: one key per logical request. */
  | { kind: "request" }
  /** A request attribute a load sets (e.g. `cartId`). */
  | { kind: "attribute"; name: string };

export interface IdempotencySpec {
  key: KeySource;
  /** `request`: the key is stable across the caller's retries (correct); `try`: a new key per try (the common bug). */
  scope: "request" | "try";
  /** How long a stored result protects (Stripe keeps keys at least 24 h). */
  retentionMs: number;
  /** A duplicate while the first is in progress: 409 at once (Stripe) or wait for the first's result. */
  concurrent: "conflict" | "wait";
}

export interface OperationTransactionSpec {
  service: string;
  operation: string;
  effects: EffectSpec[];
  idempotency: IdempotencySpec | null;
}

export interface TransactionsSpec {
  /** Operations with effects or an idempotency store, in file order. */
  operations: OperationTransactionSpec[];
  /** Operations whose call graph is an orchestrated saga, in file order (saga/spec.ts). */
  sagas?: SagaSpec[];
  /** Operations that coordinate a TCC transaction, in file order (tcc/spec.ts). */
  tcc?: TccSpec[];
  /** The modelled broker, its publishers and consumers, or null without a `messaging` section. */
  messaging?: MessagingSpec | null;
}
