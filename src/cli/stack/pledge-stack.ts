// The project's stacks through the Automation API: the same engine, program
// and state as `pulumi up` from the project directory, so CLI and laptop agree.
// A PledgeStack is one stack as one CLI run sees it: the Automation API's
// Stack, and what the run has read of its config and state.
import { statSync } from "node:fs";
import {
  LocalWorkspace,
  Stack,
  StackNotFoundError,
  type ConfigMap,
  type ConfigValue,
  type Deployment,
  type OutputMap,
  type PreviewOptions,
  type RefreshOptions,
  type UpOptions,
  type Workspace,
} from "@pulumi/pulumi/automation";
import { pulumiCommand } from "./pulumi-command";
import { outputsOfState } from "./stack-outputs";
import { UpdateError } from "../update-error";

/**
 * Each read of a stack's config, state or outputs runs the pulumi CLI (half a
 * second to a second here; the outputs take two runs), and one `pledge up`
 * asks several times (config check, password seed, cluster probe, drift, the
 * unchanged check, the summary). Within one CLI run the answer only changes
 * when the run itself changes it: config when it sets a key, the state when it
 * runs the engine. So the last answer is kept until then, and the outputs are
 * read from the exported state instead of asked for again.
 */
class StackReads {
  private config: Promise<ConfigMap> | undefined;
  private state: Promise<Deployment> | undefined;
  /** When the remembered state was asked for (ms since the epoch). */
  stateAskedAt: number | undefined;

  constructor(
    private readonly workspace: LocalWorkspace,
    private readonly stackName: string,
  ) {}

  /**
   * Starts both reads now, beside whatever the caller does next (the pulumi
   * processes run while this one waits); resolves when both have ended, a
   * failed one forgotten (read again when asked).
   */
  async prefetch(config: boolean): Promise<void> {
    await Promise.allSettled([config ? this.readConfig() : undefined, this.readState()]);
  }

  readConfig(): Promise<ConfigMap> {
    return (this.config ??= this.workspace.getAllConfig(this.stackName).catch((err: unknown) => {
      this.config = undefined;
      throw err;
    }));
  }

  readState(): Promise<Deployment> {
    if (!this.state) this.stateAskedAt = Date.now();
    return (this.state ??= this.workspace.exportStack(this.stackName).catch((err: unknown) => {
      this.state = undefined;
      throw err;
    }));
  }

  async readOutputs(): Promise<OutputMap> {
    return outputsOfState((await this.readState()).deployment ?? {});
  }

  forgetConfig(): void {
    this.config = undefined;
  }

  forgetState(): void {
    this.state = undefined;
  }
}

/**
 * The workspace the Automation API's Stack runs on: the LocalWorkspace, with
 * the stack's outputs taken from the remembered state. The Automation API asks
 * for them at the end of every `up` (for its result), after the engine has
 * finished: so the state that `up` left is read once, and kept for the rest of
 * the run (the journal sweep, the summary), instead of two runs of `pulumi
 * stack output` and an export after them.
 */
function outputsFromState(workspace: LocalWorkspace, reads: StackReads): Workspace {
  return new Proxy(workspace, {
    get: (target, key, receiver) => (key === "stackOutputs" ? () => reads.readOutputs() : Reflect.get(target, key, receiver)),
  });
}

export class PledgeStack {
  private constructor(
    private readonly stack: Stack,
    private readonly reads: StackReads,
  ) {}

  /**
   * Opens (or with `create`, creates) a stack of the project in workDir, its
   * state and, unless `readsConfig` is false, its config read beside the
   * selection. A shard's stack has no config of its own (it runs on its
   * fleet's file), so nothing asks it for config.
   */
  static async open(stackName: string, create: boolean, workDir: string, readsConfig = true): Promise<PledgeStack> {
    const workspace = await LocalWorkspace.create({ workDir, pulumiCommand: await pulumiCommand() });
    const reads = new StackReads(workspace, stackName);
    const prefetched = reads.prefetch(readsConfig);
    const running = outputsFromState(workspace, reads);
    const stack = await (create ? Stack.createOrSelect(stackName, running) : Stack.select(stackName, running)).catch(
      (err: unknown) => {
        if (!(err instanceof StackNotFoundError)) throw err;
        throw new UpdateError(
          `stack ${stackName} does not exist in this backend (${workspace.envVars.PULUMI_BACKEND_URL ?? process.env.PULUMI_BACKEND_URL ?? "pulumi login's"}); ` +
            `pledge up -s ${stackName} creates it, or give the right one with -s`,
        );
      },
    );
    // A stack this call created had no config or state to read yet: what failed is read again when asked.
    if (create) await prefetched;
    return new PledgeStack(stack, reads);
  }

  get name(): string {
    return this.stack.name;
  }

  /** Where the engine runs: its environment (envVars) is this stack's runs' only. */
  get workspace(): Workspace {
    return this.stack.workspace;
  }

  /** The stack's config, as last read in this run. */
  config(): Promise<ConfigMap> {
    return this.reads.readConfig();
  }

  /** The stack's exported state, as last read in this run. */
  exportState(): Promise<Deployment> {
    return this.reads.readState();
  }

  /** The stack's outputs, from its exported state. */
  outputs(): Promise<OutputMap> {
    return this.reads.readOutputs();
  }

  async setConfig(key: string, value: ConfigValue): Promise<void> {
    this.reads.forgetConfig();
    return this.stack.setConfig(key, value);
  }

  up(options: UpOptions) {
    return this.changingState(() => this.stack.up(options));
  }

  refresh(options: RefreshOptions) {
    return this.changingState(() => this.stack.refresh(options));
  }

  cancel(): Promise<void> {
    return this.changingState(() => this.stack.cancel());
  }

  /** Previews write no state: what was read stays. */
  preview(options: PreviewOptions) {
    return this.stack.preview(options);
  }

  previewRefresh(options: RefreshOptions) {
    return this.stack.previewRefresh(options);
  }

  history(pageSize: number) {
    return this.stack.history(pageSize);
  }

  /**
   * Drops what was read of the state: another process changed it since (an
   * update this run waited for). The next read asks the backend again.
   */
  forgetState(): void {
    this.reads.forgetState();
  }

  /**
   * Drops the state read when the stack was opened if its file (a file
   * backend's checkpoint) was written since, or about then: an update by
   * another process can start and end between the read and the lock check.
   */
  forgetStateIfWritten(checkpointFiles: readonly string[]): void {
    const askedAt = this.reads.stateAskedAt;
    if (askedAt === undefined) return;
    const written = checkpointFiles.flatMap((f) => {
      try {
        return [statSync(f).mtimeMs];
      } catch {
        return []; // not there: a new stack, or the other form (.json or .json.gz)
      }
    });
    // A second of slack: file times and the clock are not read at the same instant.
    if (written.some((mtime) => mtime >= askedAt - 1_000)) this.reads.forgetState();
  }

  /** An engine run that writes the state: what was read of it is forgotten, and what is read during the run kept. */
  private async changingState<T>(run: () => Promise<T>): Promise<T> {
    this.reads.forgetState();
    try {
      // A state read during the operation is kept: the Automation API reads it (for the outputs
      // of an up) only once the engine has finished, so it is the state the operation left.
      return await run();
    } catch (err) {
      this.reads.forgetState();
      throw err;
    }
  }
}
