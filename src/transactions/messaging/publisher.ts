// Getting an event from a producer's committed work to the broker, the two ways services do it.
// Publish after commit (no outbox): the local transaction commits, then the app sends the event;
// the send takes `publishLatency`, and if the process dies (pod-kill, pod-failure) before it lands,
// or a partition cuts the broker off when it is sent, the event is lost though the effect stands:
// the dual-write anomaly, counted as `lost`. The transactional outbox (Richardson's pattern;
// Debezium's outbox router): the event is a row written in the same transaction as the effect, so
// it exists exactly when the effect does; a relay polls the outbox every `pollInterval` (ticks at
// multiples of it from t = 0) and publishes the rows it finds, keeping those it cannot deliver (a
// partition) for its next poll. The relay and the table outlive the producer's pods (a database and
// a separate poller or CDC connector); relay failures and its own duplicates are left out.
import type { Distribution } from "../../kernel/distribution.ts";
import { childSite, Purpose } from "../../kernel/keyedDraws.ts";
import type { Call } from "../../model/call.ts";
import type { SimContext } from "../../model/context.ts";
import type { GatedCall } from "../../model/effects.ts";
import type { Instance } from "../../model/instance.ts";
import type { EndUserRequest } from "../../model/request.ts";
import type { Broker } from "./broker.ts";

/** What became of the events committed for one topic (every event, warm-up included). */
export interface TopicCounts {
  /** Events whose producer's work committed. */
  committed: number;
  /** Events that reached the broker. */
  published: number;
  /** Events lost between commit and broker (publish after commit only). */
  lost: number;
  /** Events on their way to the broker now. */
  inTransit: number;
  /** Outbox rows not yet published now. */
  outboxPending: number;
}

interface OutboxRow {
  topic: number;
  request: EndUserRequest;
  zone: string;
}

export class Publishing {
  readonly counts: TopicCounts[];
  /** When the first event was lost (the no-lost-event invariant during the run), or null. */
  firstLostAt: number | null = null;
  private rows: OutboxRow[] = [];
  private polling = false;
  /** Per producer instance: bumped each time its process goes down, so a send in flight knows. */
  private readonly generations = new Map<Instance, number>();

  constructor(
    private readonly broker: Broker,
    topics: number,
    private readonly latency: Distribution,
    private readonly pollIntervalMs: number,
    private readonly ctx: SimContext,
  ) {
    this.counts = Array.from({ length: topics }, () => ({
      committed: 0,
      published: 0,
      lost: 0,
      inTransit: 0,
      outboxPending: 0,
    }));
  }

  /** Follows a producer instance's life: a send still in flight when its process goes down is lost. */
  watch(instance: Instance): void {
    if (this.generations.has(instance)) return;
    this.generations.set(instance, 0);
    instance.addLifecycleListener({
      phaseChanged: () => {},
      reachabilityChanged: (subject) => {
        if (subject.processState !== "running")
          this.generations.set(subject, this.generations.get(subject)! + 1);
      },
    });
  }

  /** A producer's work committed for `request` at the instance serving `gated`: its event for `topic`. */
  committed(topic: number, outbox: boolean, request: EndUserRequest, gated: GatedCall): void {
    const counts = this.counts[topic];
    counts.committed++;
    const call = gated as Call;
    const instance = call.instance as Instance;
    if (outbox) {
      this.rows.push({ topic, request, zone: instance.zone });
      counts.outboxPending++;
      this.pollLater();
      return;
    }
    if (this.broker.cutFrom(instance.zone, instance)) {
      this.lose(counts); // the send fails; the commit stands
      return;
    }
    const generation = this.generations.get(instance);
    counts.inTransit++;
    this.ctx.scheduler.postAfter(this.delay(request, childSite(call.site, topic + 1)), () => {
      counts.inTransit--;
      if (this.generations.get(instance) !== generation) this.lose(counts);
      else this.arrive(topic, request);
    });
  }

  private lose(counts: TopicCounts): void {
    counts.lost++;
    if (this.firstLostAt === null) this.firstLostAt = this.ctx.scheduler.now;
  }

  private arrive(topic: number, request: EndUserRequest): void {
    this.counts[topic].published++;
    this.broker.publish(topic, request);
  }

  private delay(request: EndUserRequest, site: number): number {
    const latency = this.latency;
    if (latency.isConstant) return latency.mean;
    return latency.sample(
      this.ctx.draws.begin(request.seedA, request.seedB, site, Purpose.networkOut),
    );
  }

  /** Schedules the relay's next poll (the next multiple of the interval), unless one is due. */
  private pollLater(): void {
    if (this.polling) return;
    this.polling = true;
    const scheduler = this.ctx.scheduler;
    const interval = this.pollIntervalMs;
    const tick = (Math.floor(scheduler.now / interval) + 1) * interval;
    scheduler.postAfter(tick - scheduler.now, () => this.poll());
  }

  /** The relay's poll: every row it can deliver goes to the broker; the rest wait for the next. */
  private poll(): void {
    this.polling = false;
    const rows = this.rows;
    this.rows = [];
    for (const row of rows) {
      if (this.broker.cutFrom(row.zone, null)) {
        this.rows.push(row);
        continue;
      }
      const counts = this.counts[row.topic];
      counts.outboxPending--;
      counts.inTransit++;
      const site = childSite(RELAY_SITE, row.topic + 1);
      this.ctx.scheduler.postAfter(this.delay(row.request, site), () => {
        counts.inTransit--;
        this.arrive(row.topic, row.request);
      });
    }
    if (this.rows.length > 0) this.pollLater();
  }
}

/** The call-site key of the relay's sends (an arbitrary constant apart from ROOT_SITE). */
const RELAY_SITE = 0x0071;
