// The reference simulator as a whole process, the counterpart of `meshsim run FILE --json`:
// runs the chain and prints its result as JSON on stdout.
// Run: npx tsx bench/reference/main.ts [--mode governed|bare] [--requests 1000000] [--seed 1] [--warmup MS]
import { parseArgs } from "node:util";
import { type ChainMode, runChain } from "./chain.ts";

const { values } = parseArgs({
  options: {
    mode: { type: "string", default: "governed" },
    requests: { type: "string", default: "1000000" },
    seed: { type: "string", default: "1" },
    warmup: { type: "string", default: "0" },
  },
});
if (values.mode !== "governed" && values.mode !== "bare") {
  process.stderr.write(`--mode must be governed or bare, got ${values.mode}\n`);
  process.exit(2);
}
const result = runChain({
  mode: values.mode as ChainMode,
  requests: Number(values.requests),
  seed: Number(values.seed),
  warmupMs: Number(values.warmup),
});
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
