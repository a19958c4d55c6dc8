// The `messaging` section: a modelled at-least-once broker (RabbitMQ quorum queues with manual
// acks; src/transactions/messaging/): its topics, which operations publish to them (with or
// without a transactional outbox) and which consume them (with or without dedup by message id).
// Shapes and defaults only; that topics and operations exist is convert/messaging.ts's check.
// Built when a file has this section (deferred.ts), so other files never pay for it.
import { z } from "zod";
import { MESSAGING } from "../defaults.ts";
import { deferred } from "./deferred.ts";
import {
  distribution,
  duration,
  expecting,
  fields,
  integer,
  name,
  namedMap,
  operationRef,
  written,
} from "./leaves.ts";
import { IDENT_PATTERN, NAME_PATTERN } from "./patterns.ts";

/** Built when a file has `messaging:` (deferred.ts). */
export const messagingSchema = deferred(() => {
  const topic = fields("a topic", {
    deliveryDelay: distribution()
      .prefault(MESSAGING.deliveryDelay)
      .describe("From the broker holding a message to a consumer instance receiving it."),
    ackTimeout: duration("positive")
      .prefault(written(MESSAGING.ackTimeoutMs))
      .describe(
        "A delivery not acked by then is redelivered (RabbitMQ consumer_timeout, SQS visibility timeout).",
      ),
    maxDeliveries: integer(1, "an integer ≥ 1")
      .default(MESSAGING.maxDeliveries)
      .describe("Deliveries before the message is dead-lettered (RabbitMQ delivery-limit)."),
  });

  const publisher = fields("a publisher", {
    operation: operationRef.describe("The operation whose committed work publishes the event."),
    topic: name(NAME_PATTERN, "letters, digits, _, . and -").describe(
      "A topic of messaging.topics.",
    ),
    outbox: z
      .boolean({ error: expecting("true or false") })
      .optional()
      .describe("Overrides messaging.outbox.enabled for this publisher."),
  });

  const consumer = fields("a consumer", {
    operation: operationRef.describe("The operation each delivery runs (one consumer group)."),
    topic: name(NAME_PATTERN, "letters, digits, _, . and -").describe(
      "A topic of messaging.topics.",
    ),
    dedup: z
      .boolean({ error: expecting("true or false") })
      .optional()
      .describe("Overrides messaging.dedup.enabled for this consumer."),
  });

  return fields("messaging", {
    zone: name(NAME_PATTERN, "letters, digits, _, . and -")
      .optional()
      .describe("The broker's zone (partitions apply); absent: reachable from every zone."),
    publishLatency: distribution()
      .prefault(MESSAGING.publishLatency)
      .describe("A publish's trip from the producer to the broker (publish after commit)."),
    reconnectInterval: duration("positive")
      .prefault(written(MESSAGING.reconnectIntervalMs))
      .describe("How often a topic with no reachable consumer instance tries again."),
    outbox: fields("outbox", {
      enabled: z.boolean({ error: expecting("true or false") }).default(false),
      pollInterval: duration("positive")
        .prefault(written(MESSAGING.relayIntervalMs))
        .describe("How often the relay polls the outbox table and publishes what it finds."),
    })
      .prefault({})
      .describe(
        "The transactional outbox: the event commits with the effect; a relay publishes it.",
      ),
    dedup: fields("dedup", {
      enabled: z.boolean({ error: expecting("true or false") }).default(false),
      retention: duration("positive")
        .prefault(written(MESSAGING.dedupRetentionMs))
        .describe("How long a consumer remembers a processed message id."),
    })
      .prefault({})
      .describe("Consumer deduplication by message id (the idempotent consumer)."),
    topics: namedMap("topic", IDENT_PATTERN, "letters, digits, _ and -", topic),
    publishers: z
      .array(publisher, { error: expecting("a list of publishers") })
      .default([])
      .describe("Operations that publish an event when their work commits."),
    consumers: z
      .array(consumer, { error: expecting("a list of consumers") })
      .default([])
      .describe("Operations that consume a topic, each its own consumer group."),
  });
});
