// The golden summary of scenarios/compare-balancers.yaml (seven balancer variants on two seeds:
// about a third of all the golden tests' time), in a file of its own so that it runs beside
// golden.test.ts, which holds every other shipped scenario.
import { describe } from "vitest";
import { goldenSuite } from "./goldenSuite.ts";
import { IN_FILES_OF_THEIR_OWN } from "./summary.ts";

describe("the compare-balancers golden summary", () => {
  goldenSuite(IN_FILES_OF_THEIR_OWN);
});
