// `pledge promises`: what the project's catalogue offers, read from its program.
import { Command } from "commander";
import { loadCatalogue } from "../stack/project";
import { catalogueTable } from "../views/catalogue-view";
import { withProject } from "./options";

export function promisesCommand(): Command {
  return withProject(new Command("promises").description("the promises this platform's catalogue can offer")).action(
    (opts: { dir: string }) => {
      process.stdout.write(`${catalogueTable(loadCatalogue(opts.dir))}\n`);
    },
  );
}
