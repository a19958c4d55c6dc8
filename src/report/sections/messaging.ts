// The broker's part of a run's transactions as text (src/transactions/messaging/): one sentence of
// what happened to the events (published, lost before the broker, redelivered, absorbed by
// consumer dedup, dead-lettered) and, for report.md, a table per topic and consumer group.
import type { MessagingResult } from "../../result/transactions.ts";
import { markdownTable } from "../markdown/table.ts";
import { groupThousands } from "./tables.ts";

export function messagingText(m: MessagingResult): string {
  return (
    `messaging: ${groupThousands(m.published)} events published, ${groupThousands(m.lostEvents)} lost before the broker, ` +
    `${groupThousands(m.redeliveries)} redeliveries, ${groupThousands(m.duplicatesAbsorbed)} duplicates absorbed by consumer dedup, ` +
    `${groupThousands(m.deadLettered)} dead-lettered.`
  );
}

/** report.md's tables of the broker: topics (committed events and where they are) and consumer groups. */
export function messagingMarkdown(m: MessagingResult): string[] {
  const n = (x: number) => groupThousands(x);
  return [
    ...markdownTable(
      ["topic", "committed", "published", "lost", "in transit", "in the outbox"],
      m.topics.map((t) => [
        t.topic,
        n(t.committed),
        n(t.published),
        n(t.lost),
        n(t.inTransit),
        n(t.outboxPending),
      ]),
    ),
    "",
    ...markdownTable(
      [
        "consumer",
        "topic",
        "dedup",
        "received",
        "acked",
        "redeliveries",
        "ack timeouts",
        "dead-lettered",
        "in flight",
        "duplicates absorbed",
      ],
      m.consumers.map((c) => [
        c.consumer,
        c.topic,
        c.dedup ? "on" : "off",
        n(c.received),
        n(c.acked),
        n(c.redeliveries),
        n(c.ackTimeouts),
        n(c.deadLettered),
        n(c.inFlight),
        n(c.duplicatesAbsorbed),
      ]),
    ),
    "",
  ];
}
