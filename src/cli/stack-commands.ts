// `pledge up | preview | placement | explain | demo`: the stack on the
// Automation API, with the placement shown as tables afterwards.
import { Command } from "commander";
import { defaultFleetDir, fleetUp } from "../local/fleet";
import { explainTable, promisesTable, requestsTable, type PlacementOutputs } from "./placement-view";
import { openStack, placementOutputsOf, projectDir } from "./stack";

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

async function up(stackName: string, workDir = projectDir): Promise<void> {
  const stack = await openStack(stackName, true, workDir);
  // A failed update throws here: the outputs would be the previous update's, so no table then.
  await stack.up({ onOutput: stream });
  printPlacement(await placementOutputsOf(stack));
}

export function stackCommands(): Command[] {
  const stackOption = ["-s, --stack <name>", "stack name", "dev"] as const;
  const dirOption = ["-C, --dir <path>", "Pulumi project directory", projectDir] as const;
  const upCommand = new Command("up")
    .description("deploy the stack (pulumi up) and show where every request landed")
    .option(...stackOption)
    .option(...dirOption)
    .action(async (opts: { stack: string; dir: string }) => up(opts.stack, opts.dir));
  const previewCommand = new Command("preview")
    .description("show what would change, including requests that would move")
    .option(...stackOption)
    .option(...dirOption)
    .action(async (opts: { stack: string; dir: string }) => {
      await (await openStack(opts.stack, true, opts.dir)).preview({ onOutput: stream, diff: true });
    });
  const placementCommand = new Command("placement")
    .description("where every request landed and why (from the last update)")
    .option(...stackOption)
    .option(...dirOption)
    .option("--json", "machine-readable output", false)
    .action(async (opts: { stack: string; dir: string; json: boolean }) => {
      const outputs = await placementOutputsOf(await openStack(opts.stack, false, opts.dir));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(outputs, null, 2)}\n`);
        if ((outputs.unplaced ?? []).length > 0) process.exitCode = 2;
      } else printPlacement(outputs);
    });
  const explainCommand = new Command("explain")
    .description("each cluster's verdict on one request (promise/name), or on a promise's dependencies (promise <name>)")
    .argument("<request>", "request key, e.g. redis/checkout-cache, or 'promise redis'")
    .option(...stackOption)
    .option(...dirOption)
    .action(async (key: string, opts: { stack: string; dir: string }) => {
      process.stdout.write(`${explainTable(await placementOutputsOf(await openStack(opts.stack, false, opts.dir)), key)}\n`);
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
