// A TCC transaction (try / confirm / cancel per participant) as the loader hands it over, with
// Seata's participant safeguards as switches (what its TCC fence, useTCCFence, does). Types only.
import type { CompensationRetrySpec } from "../saga/spec.ts";

export interface TccParticipantSpec {
  /** `service.operation` of each phase. */
  try: string;
  confirm: string;
  cancel: string;
}

export interface TccSafeguards {
  /** A Cancel whose Try never committed does nothing (Seata: allow empty rollback). */
  emptyRollback: boolean;
  /** A Try that arrives after its Cancel is refused (Seata's fence: the suspended record). */
  hangPrevention: boolean;
  /** A second Confirm or Cancel of one branch does nothing (Seata's fence: idempotent phase two). */
  idempotent: boolean;
}

export interface TccSpec {
  service: string;
  operation: string;
  /** The global transaction's timeout: phase one not over by then rolls back. */
  timeoutMs: number;
  participants: TccParticipantSpec[];
  safeguards: TccSafeguards;
  /** How the coordinator retries a failed Confirm or Cancel. */
  retry: CompensationRetrySpec;
}
