// `meshsim schema`: prints the JSON Schema of scenario files.
import type { Command } from "commander";

export function schemaCommand(program: Command): void {
  program
    .command("schema")
    .description("print the JSON Schema of scenario files (for editor autocompletion)")
    .action(async () => {
      const { scenarioJsonSchema } = await import("../../scenario/schema/jsonSchema.ts");
      process.stdout.write(JSON.stringify(scenarioJsonSchema(), null, 2) + "\n");
    });
}
