// Conservation laws of the modelled broker, checked on a run's result (src/transactions/messaging/).
import { expect } from "vitest";
import type { RunResult } from "../../src/result/run.ts";

/** Every event committed is published, lost, on its way or in the outbox; every message published is acked, dead-lettered or in flight. */
export function expectConservation(r: RunResult): void {
  const m = r.transactions!.messaging!;
  for (const t of m.topics)
    expect(t.published + t.lost + t.inTransit + t.outboxPending, t.topic).toBe(t.committed);
  for (const c of m.consumers) {
    const topic = m.topics.find((t) => t.topic === c.topic)!;
    expect(c.received, c.consumer).toBe(topic.published);
    expect(c.acked + c.deadLettered + c.inFlight, c.consumer).toBe(c.received);
  }
}
