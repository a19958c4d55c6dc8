// Consistent-hashing building blocks, pure and independent of the simulator: murmur3, Envoy's ring
// and Maglev tables, jump hash, and Envoy's bounded-load spill-over. One barrel, explicit exports.

export {
  boundedPick,
  checkBalanceFactor,
  clusterSlots,
  hostSlots,
  LoadBound,
  type Probe,
  RingWalkProbe,
  ShuffleProbe,
} from "./boundedLoad.ts";
export { type HashHost, hashHosts, hostSetKey, idOrder } from "./hosts.ts";
export { jumpHash } from "./jump.ts";
export {
  buildMaglev,
  checkTableSize,
  DEFAULT_MAGLEV_TABLE_SIZE,
  isPrime,
  MAXIMUM_MAGLEV_TABLE_SIZE,
  type MaglevTable,
  maglevLookup,
} from "./maglev.ts";
export { fmix32, murmur3_32, murmur3_32_bytes, murmur3_32_int } from "./murmur3.ts";
export {
  buildRing,
  checkRingSizes,
  DEFAULT_MINIMUM_RING_SIZE,
  MAXIMUM_RING_SIZE,
  type Ring,
  type RingOptions,
  ringLookup,
  ringPosition,
} from "./ring.ts";
