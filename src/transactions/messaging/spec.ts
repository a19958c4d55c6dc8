// The messaging settings as the loader hands them over, typed and defaulted: the broker's topics,
// the operations that publish to them (with or without a transactional outbox) and the consumer
// groups (one operation each, with or without dedup by message id). See broker.ts for semantics.
import type { Distribution } from "../../kernel/distribution.ts";

export interface TopicSpec {
  name: string;
  /** From the broker holding a message to a consumer instance receiving it. */
  deliveryDelay: Distribution;
  /** A delivery not acked by then is redelivered (RabbitMQ consumer_timeout, SQS visibility timeout). */
  ackTimeoutMs: number;
  /** Deliveries before the message is dead-lettered (RabbitMQ quorum queues' delivery-limit). */
  maxDeliveries: number;
}

export interface PublisherSpec {
  service: string;
  operation: string;
  topic: string;
  /** The event commits with the operation's effects and a relay publishes it (else: publish after commit). */
  outbox: boolean;
}

export interface ConsumerSpec {
  service: string;
  operation: string;
  topic: string;
  /** Processed message ids are remembered, so a redelivery applies no second effect. */
  dedup: boolean;
}

export interface MessagingSpec {
  /** The broker's zone (partitions cut it off), or null: reachable from everywhere. */
  zone: string | null;
  publishLatency: Distribution;
  reconnectIntervalMs: number;
  relayIntervalMs: number;
  dedupRetentionMs: number;
  /** In file order. */
  topics: TopicSpec[];
  publishers: PublisherSpec[];
  consumers: ConsumerSpec[];
}
