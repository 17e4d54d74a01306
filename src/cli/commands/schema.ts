// `pledge schema [promise]`: the JSON Schema of a team's request file, or of
// one promise's spec, for editors and CI.
import { Command } from "commander";
import { requestFileJsonSchema } from "../../promise/request-file-schema";
import { loadCatalogue } from "../stack/project";
import { printJson } from "../views/output";
import { withProject } from "./options";

export function schemaCommand(): Command {
  return withProject(
    new Command("schema")
      .description("JSON Schema of a team's request file (every promise's spec included), or of one promise's spec")
      .argument("[promise]", "one promise's request spec, e.g. redis; the whole request file when absent"),
  ).action((name: string | undefined, opts: { dir: string }) => {
    const catalogue = loadCatalogue(opts.dir);
    if (name === undefined) return printJson(requestFileJsonSchema(catalogue));
    const promise = catalogue.find((p) => p.name === name);
    if (!promise)
      throw new Error(
        `no promise ${JSON.stringify(name)} in the catalogue; known: ${catalogue
          .map((p) => p.name)
          .sort()
          .join(", ")}`,
      );
    printJson({
      $id: `pledge:${promise.name}@${promise.version}`,
      title: `${promise.name} request spec`,
      description: promise.description,
      ...promise.jsonSchema(),
    });
  });
}
