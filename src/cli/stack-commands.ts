// `pledge up | preview | placement | explain | demo`: the stack on the
// Automation API, with the placement shown as tables afterwards.
import { Command } from "commander";
import { defaultFleetDir, fleetUp } from "../local/fleet";
import { explainTable, promisesTable, requestsTable, type PlacementOutputs } from "./placement-view";
import { openStack, placementOutputsOf } from "./stack";

const stream = (out: string) => process.stdout.write(out);

/** Exit status 2 when something is unplaced: the rest deployed, but a team is waiting. */
function printPlacement(outputs: PlacementOutputs): void {
  process.stdout.write(`\nPromises\n${promisesTable(outputs)}\n\nRequests\n${requestsTable(outputs)}\n`);
  const unplaced = outputs.unplaced ?? [];
  if (unplaced.length > 0) {
    process.stdout.write(`\n${unplaced.length} request(s) not fully placed: ${unplaced.join(", ")}; see \`pledge explain <request>\`\n`);
    process.exitCode = 2;
  }
}

async function up(stackName: string): Promise<void> {
  const stack = await openStack(stackName);
  try {
    await stack.up({ onOutput: stream });
  } catch (err) {
    // Unplaced requests fail the update after everything else deployed: still show the table.
    const outputs = await placementOutputsOf(stack).catch(() => undefined);
    if (outputs?.requests) printPlacement(outputs);
    throw err;
  }
  printPlacement(await placementOutputsOf(stack));
}

export function stackCommands(): Command[] {
  const stackOption = ["-s, --stack <name>", "stack name", "dev"] as const;
  const upCommand = new Command("up")
    .description("deploy the stack (pulumi up) and show where every request landed")
    .option(...stackOption)
    .action(async (opts: { stack: string }) => up(opts.stack));
  const previewCommand = new Command("preview")
    .description("show what would change, including requests that would move")
    .option(...stackOption)
    .action(async (opts: { stack: string }) => {
      await (await openStack(opts.stack)).preview({ onOutput: stream, diff: true });
    });
  const placementCommand = new Command("placement")
    .description("where every request landed and why (from the last update)")
    .option(...stackOption)
    .option("--json", "machine-readable output", false)
    .action(async (opts: { stack: string; json: boolean }) => {
      const outputs = await placementOutputsOf(await openStack(opts.stack, false));
      if (opts.json) process.stdout.write(`${JSON.stringify(outputs, null, 2)}\n`);
      else printPlacement(outputs);
    });
  const explainCommand = new Command("explain")
    .description("each cluster's verdict on one request (promise/name), or on a promise's dependencies (promise <name>)")
    .argument("<request>", "request key, e.g. redis/checkout-cache, or 'promise redis'")
    .option(...stackOption)
    .action(async (key: string, opts: { stack: string }) => {
      process.stdout.write(`${explainTable(await placementOutputsOf(await openStack(opts.stack, false)), key)}\n`);
    });
  const demoCommand = new Command("demo")
    .description("start a 3-cluster local fleet and deploy the dev stack on it")
    .option("--clusters <n>", "local clusters", (v) => Number(v), 3)
    .action(async (opts: { clusters: number }) => {
      process.stderr.write(`starting the local fleet (${opts.clusters} clusters)...\n`);
      await fleetUp(defaultFleetDir(), { clusters: opts.clusters, log: (m) => process.stderr.write(`${m}\n`) });
      await up("dev");
    });
  return [upCommand, previewCommand, placementCommand, explainCommand, demoCommand];
}
