// `pledge up | preview | placement | explain | promises | schema | demo`: the
// project's stacks on the Automation API, with the placement shown as tables,
// and the project's catalogue read from its program.
import Table from "cli-table3";
import { Command, InvalidArgumentError } from "commander";
import { defaultFleetDir, fleetUp } from "../local/fleet";
import type { StackOutputs } from "../outputs";
import { explainPromiseTable, explainRequestTable, promisesTable, requestsTable } from "./placement-view";
import { loadCatalogue } from "./project";
import { openStack, stackOutputs } from "./stack";
import { runUpdate, unlock } from "./update";

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

interface StackOptions {
  stack: string;
  dir: string;
}

interface UpdateFlags extends StackOptions {
  verbose: boolean;
  allowDelete: string[];
  wait: number;
}

const say = (line: string) => process.stderr.write(`${line}\n`);

async function update(kind: "up" | "preview", opts: UpdateFlags): Promise<void> {
  const stack = await openStack(opts.stack, true, opts.dir);
  // A failed update throws (UpdateError): its problems are printed once by main, and no table from stale outputs.
  const result = await runUpdate(stack, kind, opts.dir, {
    verbose: opts.verbose,
    allowDelete: opts.allowDelete,
    waitSeconds: opts.wait,
    say,
  });
  if (result.outputs) printPlacement(result.outputs);
  process.exitCode = result.exitCode || (process.exitCode ?? 0);
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("give a whole number of seconds, 0 or more");
  return n;
}

function allowList(value: string, previous: string[]): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

export function stackCommands(): Command[] {
  const withStack = (command: Command) =>
    command
      .option("-s, --stack <name>", "stack name", "dev")
      .option("-C, --dir <path>", "Pulumi project directory", process.cwd());
  const withUpdate = (command: Command) =>
    withStack(command)
      .option(
        "--allow-delete <what>",
        "confirm a guarded deletion for this run: cluster:<name>, request:<promise>/<name>, many, all (repeat or comma-separate)",
        allowList,
        [],
      )
      .option("--wait <seconds>", "how long to wait for another update of this stack to finish", seconds, 600)
      .option("-v, --verbose", "show the engine's full output as well", false);
  const upCommand = withUpdate(
    new Command("up").description("deploy the stack: refresh from the clusters, update, and show where every request landed"),
  ).action(async (opts: UpdateFlags) => update("up", opts));
  const previewCommand = withUpdate(
    new Command("preview").description(
      "show what would change (drift included), requests that would move, and every deletion per cluster",
    ),
  ).action(async (opts: UpdateFlags) => update("preview", opts));
  const unlockCommand = withStack(
    new Command("unlock").description("remove the stack's lock on purpose (after an update was killed on another machine)"),
  ).action(async (opts: StackOptions) => unlock(await openStack(opts.stack, false, opts.dir), say));
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
      await update("up", { stack: "dev", dir: opts.dir, verbose: false, allowDelete: [], wait: 600 });
    });
  return [
    upCommand,
    previewCommand,
    unlockCommand,
    placementCommand,
    explainCommand,
    promisesCommand,
    schemaCommand,
    demoCommand,
  ];
}
