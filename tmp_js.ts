import { scenarioJsonSchema } from "./src/scenario/jsonSchema.ts";
console.log(JSON.stringify(scenarioJsonSchema(), null, 1));
