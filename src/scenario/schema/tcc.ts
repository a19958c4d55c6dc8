// The `tcc` field of an operation: it coordinates a TCC transaction over participants, each with
// its Try, Confirm and Cancel operations, with Seata's participant safeguards as switches and the
// retry policy of phase two (the same shape as a saga's compensations).
// Built when a file has this section (deferred.ts), so other files never pay for it.
import { z } from "zod";
import { deferred } from "./deferred.ts";
import { duration, expecting, fields, nonEmptyList, operationRef } from "./leaves.ts";
import { compensationSchema } from "./saga.ts";

const participant = deferred(() =>
  fields("a TCC participant", {
    try: operationRef.describe("Phase one: reserve the resource."),
    confirm: operationRef.describe("Phase two after every Try succeeded: use the reservation."),
    cancel: operationRef.describe("Phase two otherwise: release the reservation."),
  }),
);

const flag = (what: string) =>
  z
    .boolean({ error: expecting("true or false") })
    .default(false)
    .describe(what);

const safeguards = deferred(() =>
  fields("TCC safeguards", {
    emptyRollback: flag(
      "A Cancel whose Try never committed does nothing (Seata's empty rollback).",
    ),
    hangPrevention: flag("A Try arriving after its Cancel is refused (Seata's TCC fence)."),
    idempotent: flag("A repeated Confirm or Cancel does nothing (Seata's TCC fence)."),
  }),
);

export const tccSchema = deferred(() =>
  fields("a TCC transaction", {
    timeout: duration("positive").describe(
      "Phase one not over by then rolls back (Seata's global transaction timeout).",
    ),
    participants: nonEmptyList("participant", participant).describe(
      "Each participant's Try, Confirm and Cancel operations.",
    ),
    safeguards: safeguards
      .prefault({})
      .describe("Seata's safeguards, each off by default (useTCCFence: all three)."),
    retry: compensationSchema.prefault({}).describe("How a failed Confirm or Cancel is retried."),
  }),
);
