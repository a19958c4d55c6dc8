// Consistent-hashing building blocks, pure and independent of the simulator: murmur3, Envoy's ring
// and Maglev tables, jump hash, and Envoy's bounded-load spill-over. One barrel, explicit exports.
export { fmix32, murmur3_32, murmur3_32_bytes, murmur3_32_int } from "./murmur3.ts";
export { hashHosts, hostSetKey, idOrder, type HashHost } from "./hosts.ts";
export {
  buildRing,
  checkRingSizes,
  DEFAULT_MINIMUM_RING_SIZE,
  MAXIMUM_RING_SIZE,
  ringLookup,
  ringPosition,
  type Ring,
  type RingOptions,
} from "./ring.ts";
export {
  buildMaglev,
  checkTableSize,
  DEFAULT_MAGLEV_TABLE_SIZE,
  isPrime,
  MAXIMUM_MAGLEV_TABLE_SIZE,
  maglevLookup,
  type MaglevTable,
} from "./maglev.ts";
export { jumpHash } from "./jump.ts";
export {
  boundedPick,
  checkBalanceFactor,
  clusterSlots,
  hostSlots,
  LoadBound,
  RingWalkProbe,
  ShuffleProbe,
  type Probe,
} from "./boundedLoad.ts";
