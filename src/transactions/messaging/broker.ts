// A modelled at-least-once broker with RabbitMQ's semantics for quorum queues consumed with manual
// acks: a topic is an exchange; each consumer group (one operation of a service) has its own queue,
// and its instances are competing consumers served round robin. A message goes to a reachable
// instance after the topic's delivery delay; a 2xx answer acks it; any other answer (an error, a
// full queue, the instance dying before acking: the connection's unacked messages are requeued) or
// no ack within `ackTimeout` (consumer_timeout; SQS's visibility timeout) makes the broker deliver it
// again, to any instance, while the first delivery may still run: the late ack of a superseded
// delivery is void (RabbitMQ closed its channel). After `maxDeliveries` it is dead-lettered
// (delivery-limit). With no reachable instance (all dead, or cut off by a partition from the
// broker's zone) messages wait, and the group reconnects every `reconnectInterval`; an ack sent
// across a partition is lost, so the ack timeout redelivers that message. Left out:
// prefetch limits, message ordering, broker failures, edge delay and abort faults on its legs
// (inbound delay and abort faults at the consumer's instances apply, as to any call).
import { childSite, Purpose } from "../../kernel/keyedDraws.ts";
import type { Timer } from "../../kernel/scheduler.ts";
import type { CallSender } from "../../model/call.ts";
import type { SimContext } from "../../model/context.ts";
import type { Endpoint } from "../../model/endpoint.ts";
import type { Instance } from "../../model/instance.ts";
import type { Operation } from "../../model/operation.ts";
import { type EndUserRequest, isFailure } from "../../model/request.ts";
import type { Service } from "../../model/service.ts";
import { DedupStore } from "./dedup.ts";
import { Delivery, type DeliverySink } from "./delivery.ts";
import type { ConsumerSpec, MessagingSpec, TopicSpec } from "./spec.ts";

/** One message in one consumer group's queue, from its publish until it is acked or dead-lettered. */
interface Message {
  readonly id: number;
  readonly request: EndUserRequest;
  readonly group: ConsumerGroup;
  deliveries: number;
  /** The delivery whose ack counts, or null between deliveries. */
  current: Delivery | null;
  ackTimer: Timer | null;
}

/** What one consumer group saw over the run (every message, warm-up included: conservation is exact). */
export interface GroupCounts {
  received: number;
  acked: number;
  redeliveries: number;
  ackTimeouts: number;
  deadLettered: number;
}

export class ConsumerGroup {
  readonly live = new Set<Message>();
  /** Messages waiting for a reachable instance. */
  backlog: Message[] = [];
  reconnecting = false;
  /** Round robin over the service's instances. */
  next = 0;
  readonly counts: GroupCounts = {
    received: 0,
    acked: 0,
    redeliveries: 0,
    ackTimeouts: 0,
    deadLettered: 0,
  };
  constructor(
    readonly spec: ConsumerSpec,
    readonly topic: TopicSpec,
    readonly service: Service,
    readonly operation: Operation,
    /** The call-site key of this group's deliveries, below which each delivery has its own. */
    readonly site: number,
    readonly dedup: DedupStore | null,
  ) {}
}

export class Broker implements DeliverySink {
  /** Consumer groups, in the file's order of consumers. */
  readonly groups: ConsumerGroup[] = [];
  /** Per topic (file order): the groups subscribed to it. */
  private readonly byTopic: ConsumerGroup[][];
  /** The broker as a partition's target sees it (its zone), or null when no partition can cut it off. */
  readonly endpoint: Endpoint | null;
  private readonly sender: CallSender;

  constructor(
    private readonly spec: MessagingSpec,
    services: readonly Service[],
    private readonly ctx: SimContext,
  ) {
    const zone = spec.zone;
    this.endpoint =
      zone === null ? null : { id: "broker", index: -1, zone, service: BROKER_SERVICE };
    this.sender = { name: "broker", source: BROKER_SERVICE, zone };
    this.byTopic = spec.topics.map(() => []);
    spec.consumers.forEach((c, i) => {
      const service = services.find((s) => s.name === c.service)!;
      const t = spec.topics.findIndex((topic) => topic.name === c.topic);
      const dedup = c.dedup ? new DedupStore(spec.dedupRetentionMs, ctx.scheduler) : null;
      const group = new ConsumerGroup(
        c,
        spec.topics[t],
        service,
        service.operation(c.operation),
        childSite(GROUP_SITE, i + 1),
        dedup,
      );
      this.groups.push(group);
      this.byTopic[t].push(group);
    });
  }

  /** The index of topic `name` (the loader checked it exists). */
  topicIndex(name: string): number {
    return this.spec.topics.findIndex((t) => t.name === name);
  }

  /** Whether a partition cuts the broker off from `zone` (and `instance`) now. */
  cutFrom(zone: string, instance: Endpoint | null): boolean {
    const broker = this.endpoint;
    return broker !== null && this.ctx.network.isCut(zone, instance, broker);
  }

  /** An event for `request`'s order reached the broker on topic `topic`: one message per group. */
  publish(topic: number, request: EndUserRequest): void {
    for (const group of this.byTopic[topic]) {
      const message: Message = {
        id: request.id,
        request,
        group,
        deliveries: 0,
        current: null,
        ackTimer: null,
      };
      group.counts.received++;
      group.live.add(message);
      this.deliver(message);
    }
  }

  private deliver(message: Message): void {
    const group = message.group;
    const instance = this.pick(group);
    if (instance === null) {
      group.backlog.push(message);
      this.reconnectLater(group);
      return;
    }
    message.deliveries++;
    if (message.deliveries > 1) group.counts.redeliveries++;
    const site = childSite(group.site, message.deliveries);
    const delivery = new Delivery(message, group.operation, site, this.sender, group.dedup, this);
    delivery.instance = instance;
    delivery.crossesZones = this.spec.zone !== null && instance.zone !== this.spec.zone;
    message.current = delivery;
    const delay = group.topic.deliveryDelay;
    const request = message.request;
    const ms = delay.isConstant
      ? delay.mean
      : delay.sample(this.ctx.draws.begin(request.seedA, request.seedB, site, Purpose.networkOut));
    const scheduler = this.ctx.scheduler;
    scheduler.postFire(ms, delivery);
    message.ackTimer = scheduler.after(group.topic.ackTimeoutMs, () =>
      this.timedOut(message, delivery),
    );
  }

  /** The next reachable instance of the group's service, round robin; null if none is. */
  private pick(group: ConsumerGroup): Instance | null {
    const instances = group.service.instances;
    const n = instances.length;
    for (let k = 0; k < n; k++) {
      const i = (group.next + k) % n;
      const instance = instances[i];
      if (!instance.reachable || this.cutFrom(instance.zone, instance)) continue;
      group.next = (i + 1) % n;
      return instance;
    }
    return null;
  }

  private reconnectLater(group: ConsumerGroup): void {
    if (group.reconnecting) return;
    group.reconnecting = true;
    this.ctx.scheduler.postAfter(this.spec.reconnectIntervalMs, () => {
      group.reconnecting = false;
      const waiting = group.backlog;
      group.backlog = [];
      for (const message of waiting) this.deliver(message);
    });
  }

  /** A delivery's answer reached the broker: an ack settles its message, a nack redelivers it. */
  answered(delivery: Delivery, status: number): void {
    const message = delivery.message as Message;
    if (message.current !== delivery) return; // superseded after its ack timeout: void
    // An ack from an instance a partition cuts off never reaches the broker: the ack timeout decides.
    const instance = delivery.instance as Instance;
    if (this.cutFrom(instance.zone, instance)) return;
    message.current = null;
    this.ctx.scheduler.cancel(message.ackTimer!);
    message.ackTimer = null;
    if (!isFailure(status)) {
      message.group.counts.acked++;
      message.group.live.delete(message);
      return;
    }
    this.again(message);
  }

  private timedOut(message: Message, delivery: Delivery): void {
    if (message.current !== delivery) return;
    message.current = null;
    message.ackTimer = null;
    message.group.counts.ackTimeouts++;
    this.again(message);
  }

  /** Redelivers the message, or dead-letters it once it has been delivered `maxDeliveries` times. */
  private again(message: Message): void {
    const group = message.group;
    if (message.deliveries >= group.topic.maxDeliveries) {
      group.counts.deadLettered++;
      group.live.delete(message);
      return;
    }
    this.deliver(message);
  }
}

/**
 * The broker as a caller and an edge source. It is neither a service nor a load, so its index is
 * past every per-source array: no edge counts it, and an inbound sidecar's mTLS and authorization
 * checks leave its deliveries alone ("not a service's or a load's proxy").
 */
const BROKER_SERVICE = { name: "broker", index: Number.MAX_SAFE_INTEGER };

/** The root of every delivery's call-site key (an arbitrary constant apart from ROOT_SITE). */
const GROUP_SITE = 0x0b0c;
