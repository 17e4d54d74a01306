// `pledge up | preview | placement | explain | promises | schema | demo`: the
// project's stacks on the Automation API, with the placement shown as tables,
// and the project's catalogue read from its program.
import Table from "cli-table3";
import { Command } from "commander";
import { defaultFleetDir, fleetUp } from "../local/fleet";
import type { StackOutputs } from "../outputs";
import { explainPromiseTable, explainRequestTable, promisesTable, requestsTable } from "./placement-view";
import { loadCatalogue } from "./project";
import { openStack, stackOutputs } from "./stack";

const stream = (out: string) => process.stdout.write(out);

/** Exit status 2 when something is unplaced: the rest deployed, but a team is waiting. */
function printPlacement(outputs: StackOutputs): void {
  process.stdout.write(`\nPromises\n${promisesTable(outputs)}\n\nRequests\n${requestsTable(outputs)}\n`);
  if (outputs.unplaced.length > 0) {
    process.stdout.write(
      `\n${outputs.unplaced.length} request(s) not fully placed: ${outputs.unplaced.join(", ")}; see \`pledge explain <request>\`\n`,
    );
    process.exitCode = 2;
  }
}

async function up(stackName: string, workDir: string): Promise<void> {
  const stack = await openStack(stackName, true, workDir);
  // A failed update throws here: the outputs would be the previous update's, so no table then.
  await stack.up({ onOutput: stream });
  printPlacement(await stackOutputs(stack));
}

interface StackOptions {
  stack: string;
  dir: string;
}

export function stackCommands(): Command[] {
  const withStack = (command: Command) =>
    command
      .option("-s, --stack <name>", "stack name", "dev")
      .option("-C, --dir <path>", "Pulumi project directory", process.cwd());
  const upCommand = withStack(
    new Command("up").description("deploy the stack (pulumi up) and show where every request landed"),
  ).action(async (opts: StackOptions) => up(opts.stack, opts.dir));
  const previewCommand = withStack(
    new Command("preview").description("show what would change, including requests that would move"),
  ).action(async (opts: StackOptions) => {
    await (await openStack(opts.stack, true, opts.dir)).preview({ onOutput: stream, diff: true });
  });
  const placementCommand = withStack(
    new Command("placement").description("where every request landed and why (from the last update)"),
  )
    .option("--json", "machine-readable output", false)
    .action(async (opts: StackOptions & { json: boolean }) => {
      const outputs = await stackOutputs(await openStack(opts.stack, false, opts.dir));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(outputs, null, 2)}\n`);
        if (outputs.unplaced.length > 0) process.exitCode = 2;
      } else printPlacement(outputs);
    });
  const explainCommand = withStack(
    new Command("explain").description("each cluster's verdict on one request, or with --promise on a promise's dependencies"),
  )
    .argument("<name>", "request key (promise/name, e.g. redis/checkout-cache), or a promise name with --promise")
    .option("--promise", "explain where the promise's dependencies go", false)
    .action(async (name: string, opts: StackOptions & { promise: boolean }) => {
      const outputs = await stackOutputs(await openStack(opts.stack, false, opts.dir));
      process.stdout.write(`${opts.promise ? explainPromiseTable(outputs, name) : explainRequestTable(outputs, name)}\n`);
    });
  const promisesCommand = new Command("promises")
    .description("the promises this platform's catalogue can offer")
    .option("-C, --dir <path>", "Pulumi project directory", process.cwd())
    .action((opts: { dir: string }) => {
      const table = new Table({
        head: ["promise", "version", "description"],
        style: { head: [], border: [] },
        wordWrap: true,
        colWidths: [16, 10, 70],
      });
      for (const p of [...loadCatalogue(opts.dir)].sort((a, b) => a.name.localeCompare(b.name)))
        table.push([p.name, p.version, p.description]);
      process.stdout.write(`${table.toString()}\n`);
    });
  const schemaCommand = new Command("schema")
    .description("the JSON Schema of a promise's request spec, for editors and CI")
    .argument("<promise>", "promise name, e.g. redis")
    .option("-C, --dir <path>", "Pulumi project directory", process.cwd())
    .action((name: string, opts: { dir: string }) => {
      const catalogue = loadCatalogue(opts.dir);
      const promise = catalogue.find((p) => p.name === name);
      if (!promise)
        throw new Error(
          `no promise ${JSON.stringify(name)} in the catalogue; known: ${catalogue
            .map((p) => p.name)
            .sort()
            .join(", ")}`,
        );
      process.stdout.write(
        `${JSON.stringify({ $id: `pledge:${promise.name}@${promise.version}`, title: `${promise.name} request spec`, description: promise.description, ...promise.jsonSchema() }, null, 2)}\n`,
      );
    });
  const demoCommand = new Command("demo")
    .description("start a 3-cluster local fleet and deploy the dev stack on it")
    .option("--clusters <n>", "local clusters", (v) => Number(v), 3)
    .option("-C, --dir <path>", "Pulumi project directory", process.cwd())
    .action(async (opts: { clusters: number; dir: string }) => {
      process.stderr.write(`starting the local fleet (${opts.clusters} clusters)...\n`);
      await fleetUp(defaultFleetDir(process.env, opts.dir), {
        clusters: opts.clusters,
        log: (m) => process.stderr.write(`${m}\n`),
      });
      await up("dev", opts.dir);
    });
  return [upCommand, previewCommand, placementCommand, explainCommand, promisesCommand, schemaCommand, demoCommand];
}
