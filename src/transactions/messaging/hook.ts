// What an operation that publishes or consumes does when its work commits: a delivery whose
// message id its consumer group has already processed commits nothing (dedup: the local
// transaction rolls back on the processed-messages table's unique key); otherwise the operation's
// own effects apply and its events are published (or written to the outbox) in the same commit.
import type { EffectHook, GatedCall } from "../../model/effects.ts";
import type { EndUserRequest } from "../../model/request.ts";
import { Delivery } from "./delivery.ts";
import type { Publishing } from "./publisher.ts";

export class MessagingHook implements EffectHook {
  constructor(
    /** The operation's own effects (the ledger), or null. */
    private readonly inner: EffectHook | null,
    /** The topics it publishes to, with whether each goes through the outbox. */
    private readonly publishes: readonly { topic: number; outbox: boolean }[],
    private readonly publishing: Publishing,
  ) {}

  committed(request: EndUserRequest, call: GatedCall): void {
    if (call instanceof Delivery && call.dedup !== null && call.dedup.seen(call.message.id)) return;
    if (this.inner !== null) this.inner.committed(request, call);
    for (const p of this.publishes) this.publishing.committed(p.topic, p.outbox, request, call);
  }
}
