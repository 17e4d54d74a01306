// `pledge up | preview | placement | explain | promises | schema | demo`: the
// project's stacks on the Automation API, with the placement shown as tables,
// and the project's catalogue read from its program.
import { relative, resolve } from "node:path";
import Table from "cli-table3";
import { Command, InvalidArgumentError } from "commander";
import { defaultFleetDir, fleetUp } from "../local/fleet";
import type { StackOutputs } from "../outputs";
import { explainPromiseTable, explainRequestTable, promisesTable, requestsTable } from "./views/placement-view";
import { formatIssues } from "../issues";
import { compareText } from "../labels/ordering";
import { requestFileJsonSchema } from "../promise/request-file-schema";
import { stackDecision } from "./engine/stack-decision";
import { unplacedWarning } from "../core/outcome";
import { previewMarkdown, previewSummary } from "./views/preview-summary";
import { kubeClientLibrary } from "./clusters/kube-client";
import { loadCatalogue, loadPlatform } from "./stack/project";
import { PledgeStack, stackOutputs } from "./stack/pledge-stack";
import { collectStatus, statusExitCode, StatusArgumentError } from "./engine/status";
import { statusText } from "./views/status-view";
import { mergedReport, runSharded } from "./engine/shards";
import { runUpdate } from "./engine/update";
import { defaultParallel } from "./engine/update-options";
import { unlock } from "./engine/locks";
import { UpdateError } from "./update-error";

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
  fullRefresh?: boolean;
  checkpoints?: boolean;
  parallel: number;
  allowDelete: string[];
  wait: number;
  /** Preview only: a machine-readable or pull-request summary on stdout instead of the tables. */
  json?: boolean;
  markdown?: boolean;
  /** A sharded fleet: every shard (--all) or some (--shard), at most parallelShards at once. */
  all?: boolean;
  shard: string[];
  parallelShards: number;
}

const say = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Loads what an update needs anyway (the Kubernetes client, the project's
 * program) while the pulumi CLI, started by PledgeStack.open, reads the stack in
 * processes of its own: the two overlap instead of adding up (about 0.7 s of
 * a no-change update). A program that does not load is left for the config
 * check to report.
 */
async function warmUp(projectDir: string): Promise<void> {
  const yieldToIo = () => new Promise((resolve) => setImmediate(resolve));
  await yieldToIo();
  kubeClientLibrary();
  await yieldToIo();
  try {
    loadPlatform(projectDir);
  } catch {
    // reported by the config check, in its words
  }
}

async function update(kind: "up" | "preview", opts: UpdateFlags): Promise<void> {
  const opening = PledgeStack.open(opts.stack, true, opts.dir);
  opening.catch(() => undefined); // its failure is reported by the await below, once
  await warmUp(opts.dir);
  const stack = await opening;
  const common = {
    verbose: opts.verbose,
    allowDelete: opts.allowDelete,
    ...(opts.fullRefresh ? { fullRefresh: true } : {}),
    ...(opts.checkpoints ? { checkpoints: true } : {}),
    parallel: opts.parallel,
    waitSeconds: opts.wait,
    say,
  };
  // A failed update throws (UpdateError): its problems are printed once by main, and no table from stale outputs.
  const result =
    opts.all || opts.shard.length > 0
      ? await runSharded(stack, kind, opts.dir, {
          ...common,
          ...(opts.all ? {} : { only: opts.shard }),
          parallelShards: opts.parallelShards,
        }).then((sharded) => ({
          ...sharded.fleet,
          exitCode: sharded.exitCode,
          report: mergedReport(sharded.shards.map((s) => s.result!.report)),
          ...(kind === "preview" ? { drift: mergedReport(sharded.shards.map((s) => s.result!.drift!)) } : {}),
        }))
      : await runUpdate(stack, kind, opts.dir, common);
  // The placement this preview stands for, as the program decided it (the same decision, made once in this
  // run): the --json / --markdown summary, and exit status 2 when a request is unplaced, as up's, in every form.
  const decided = kind === "preview" ? await result.decision() : undefined;
  const decidedOutputs = decided?.ok ? decided.decision.outputs : undefined;
  const why = decided && !decided.ok ? formatIssues(decided.issues) : "the project's program could not be loaded here";
  if (kind === "preview" && (opts.json || opts.markdown)) {
    if (!decidedOutputs) throw new UpdateError(`the preview's placement could not be summarised: ${why}`);
    const summary = previewSummary(stack.name, decidedOutputs, result.report, result.drift);
    process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : previewMarkdown(summary));
  } else if (kind === "preview" && !decidedOutputs) {
    say(`warning: whether every request would be placed could not be decided: ${why}`);
  }
  if (result.outputs) printPlacement(result.outputs);
  const unplaced = (decidedOutputs?.unplaced.length ?? 0) > 0 ? 2 : 0;
  process.exitCode = result.exitCode || unplaced || (process.exitCode ?? 0);
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("give a whole number of seconds, 0 or more");
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("give a whole number, 1 or more");
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
        "confirm a guarded deletion for this run: cluster:<name>, request:<promise>/<name>, namespace:<team>@<cluster>, many, all (repeat or comma-separate)",
        allowList,
        [],
      )
      .option("--wait <seconds>", "how long to wait for another update of this stack to finish", seconds, 600)
      .option("--all", "a sharded fleet (pledge:shards): decide the placement once, then run every shard's stack", false)
      .option(
        "--shard <name>",
        "a sharded fleet: decide the placement once, then run only these shards (repeat or comma-separate)",
        allowList,
        [],
      )
      .option("--parallel-shards <n>", "how many shards run at once", positive, 2)
      .option("--parallel <n>", "how many resource operations the engine runs at once", positive, defaultParallel)
      .option("-v, --verbose", "show the engine's full output as well", false);
  const upCommand = withUpdate(
    new Command("up").description("deploy the stack: refresh from the clusters, update, and show where every request landed"),
  )
    .option(
      "--full-refresh",
      "read every object back from its cluster before the update, not only those a listing finds changed (slower)",
      false,
    )
    .option(
      "--checkpoints",
      "write the state after every step, as plain pulumi up does, instead of once at the end with Pledge's update journal (slower)",
      false,
    )
    .action(async (opts: UpdateFlags) => update("up", opts));
  const previewCommand = withUpdate(
    new Command("preview").description(
      "show what would change (drift included), requests that would move, and every deletion per cluster",
    ),
  )
    .option("--json", "print a summary per request and cluster as JSON (for CI)", false)
    .option("--markdown", "print the summary as Markdown (for a pull-request comment)", false)
    .action(async (opts: UpdateFlags) => update("preview", opts));
  const unlockCommand = withStack(
    new Command("unlock").description("remove the stack's lock on purpose (after an update was killed on another machine)"),
  ).action(async (opts: StackOptions) => unlock(await PledgeStack.open(opts.stack, false, opts.dir), say));
  const placementCommand = withStack(
    new Command("placement").description("where every request landed and why (from the last update)"),
  )
    .option("--json", "machine-readable output", false)
    .action(async (opts: StackOptions & { json: boolean }) => {
      const outputs = await stackOutputs(await PledgeStack.open(opts.stack, false, opts.dir));
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
      const outputs = await stackOutputs(await PledgeStack.open(opts.stack, false, opts.dir));
      process.stdout.write(`${opts.promise ? explainPromiseTable(outputs, name) : explainRequestTable(outputs, name)}\n`);
    });
  const statusCommand = withStack(
    new Command("status").description(
      "each request's placement and why, its objects' readiness read live from the clusters, its outputs and any drift",
    ),
  )
    .argument("[request]", "one request (promise/name, e.g. redis/checkout-cache); all when absent")
    .option("--team <team>", "only this team's requests")
    .option("--json", "machine-readable output", false)
    .option("--no-drift", "skip reading drift (a refresh preview)")
    .action(async (request: string | undefined, opts: StackOptions & { team?: string; json: boolean; drift: boolean }) => {
      const stack = await PledgeStack.open(opts.stack, false, opts.dir);
      let report;
      try {
        report = await collectStatus(stack, {
          ...(request !== undefined ? { request } : {}),
          ...(opts.team !== undefined ? { team: opts.team } : {}),
          drift: opts.drift,
          projectDir: opts.dir,
        });
      } catch (err) {
        if (err instanceof StatusArgumentError) throw new UpdateError(err.message);
        throw err;
      }
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : statusText(report));
      process.exitCode = statusExitCode(report);
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
      for (const p of [...loadCatalogue(opts.dir)].sort((a, b) => compareText(a.name, b.name)))
        table.push([p.name, p.version, p.description]);
      process.stdout.write(`${table.toString()}\n`);
    });
  const schemaCommand = new Command("schema")
    .description("JSON Schema of a team's request file (every promise's spec included), or of one promise's spec")
    .argument("[promise]", "one promise's request spec, e.g. redis; the whole request file when absent")
    .option("-C, --dir <path>", "Pulumi project directory", process.cwd())
    .action((name: string | undefined, opts: { dir: string }) => {
      const catalogue = loadCatalogue(opts.dir);
      if (name === undefined) {
        process.stdout.write(`${JSON.stringify(requestFileJsonSchema(catalogue), null, 2)}\n`);
        return;
      }
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
  const checkCommand = withStack(
    new Command("check").description(
      "check a team's request file against the stack (schema, promises, team and its clusters, placement) without touching any cluster, and show where each request would go",
    ),
  )
    .argument("<files...>", "request files, e.g. requests/team-a.yaml (they replace their committed versions)")
    .option("--json", "machine-readable output", false)
    .action(async (files: string[], opts: StackOptions & { json: boolean }) => {
      // The program's own decision, offline: no kubeconfig, no cluster, no network (src/run/decide.ts).
      const stack = await PledgeStack.open(opts.stack, false, opts.dir);
      const result = await stackDecision(stack, opts.dir, { mode: "offline", checkedFiles: files }).decide(stack, {});
      if (!result) throw new UpdateError(`the project's program in ${opts.dir} could not be loaded`);
      if (!result.ok) throw new UpdateError(formatIssues(result.issues));
      const { model, outputs, placement } = result.decision;
      const checked = new Set(files.map((f) => relative(opts.dir, resolve(opts.dir, f))));
      const keys = model.requests.filter((r) => checked.has(r.configPath.split(": ")[0]!)).map((r) => `${r.promise}/${r.name}`);
      const unplaced = unplacedWarning(placement.requests.filter((r) => keys.includes(r.key)));
      const mine = { ...outputs, requests: Object.fromEntries(keys.map((k) => [k, outputs.requests[k]!])) };
      if (opts.json)
        process.stdout.write(`${JSON.stringify({ requests: mine.requests, unplaced: unplaced ?? null }, null, 2)}\n`);
      else process.stdout.write(`${requestsTable(mine)}\n`);
      if (unplaced) {
        say(`warning: ${unplaced}`);
        process.exitCode = 2;
      }
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
      await update("up", {
        stack: "dev",
        dir: opts.dir,
        verbose: false,
        allowDelete: [],
        wait: 600,
        shard: [],
        parallelShards: 2,
        parallel: defaultParallel,
      });
    });
  return [
    upCommand,
    previewCommand,
    unlockCommand,
    placementCommand,
    explainCommand,
    statusCommand,
    promisesCommand,
    schemaCommand,
    checkCommand,
    demoCommand,
  ];
}
