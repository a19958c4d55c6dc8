// What security counts: per edge (calling source × service) the tries a STRICT workload refused,
// the tries authorization denied, and the connections opened; per policy and edge the denials.
// Refusals and denials are measured tries (after warm-up, like every statistic of the run);
// connections are counted over the whole run, since most open in its first moments.

export class SecurityStats {
  /** By edge = source × services + service. */
  readonly refused: Float64Array;
  readonly denied: Float64Array;
  readonly handshakes: Float64Array;
  /** By policy × edges + edge. */
  readonly deniedByPolicy: Float64Array;
  handshakeMsTotal = 0;

  constructor(
    readonly sources: number,
    readonly services: number,
    readonly policies: number,
  ) {
    const edges = sources * services;
    this.refused = new Float64Array(edges);
    this.denied = new Float64Array(edges);
    this.handshakes = new Float64Array(edges);
    this.deniedByPolicy = new Float64Array(policies * edges);
  }

  edge(source: number, service: number): number {
    return source * this.services + service;
  }

  handshake(edge: number, ms: number): void {
    this.handshakes[edge]++;
    this.handshakeMsTotal += ms;
  }

  /** A measured denial on `edge`, by one DENY policy or shared by the workload's ALLOW policies. */
  deny(edge: number, policies: number | readonly number[]): void {
    this.denied[edge]++;
    const edges = this.sources * this.services;
    if (typeof policies === "number") this.deniedByPolicy[policies * edges + edge]++;
    else for (const p of policies) this.deniedByPolicy[p * edges + edge]++;
  }
}
