// The project's stacks through the Automation API: the same engine, program
// and state as `pulumi up` from the project directory, so CLI and laptop agree.
import { statSync } from "node:fs";
import { LocalWorkspace, Stack, StackNotFoundError, type OutputMap } from "@pulumi/pulumi/automation";
import { pulumiCommand } from "./pulumi-command";
import { isSecretValue, openSecrets } from "./state-objects";
import { UpdateError } from "../update-error";
import { stackOutputsOf, type StackOutputs } from "../../outputs";

/**
 * The stack's outputs as an exported state records them (on its root
 * resource), as `stack.outputs()` returns them: every secret opened, and an
 * output marked secret when it is one as a whole (as `pulumi stack output`
 * masks it).
 */
export function outputsOfState(deployment: { resources?: { type: string; outputs?: Record<string, unknown> }[] }): OutputMap {
  const root = deployment.resources?.find((r) => r.type === "pulumi:pulumi:Stack");
  return Object.fromEntries(
    Object.entries(root?.outputs ?? {}).map(([name, value]) => [
      name,
      { value: openSecrets(value), secret: isSecretValue(value) },
    ]),
  );
}

/**
 * Each read of a stack's config, state or outputs runs the pulumi CLI (half a
 * second to a second here; the outputs take two runs), and one `pledge up`
 * asks several times (config check, password seed, cluster probe, drift, the
 * unchanged check, the summary). Within one CLI run the answer only changes
 * when the run itself changes it: config when it sets a key, the state when it
 * runs the engine. So the stack keeps the last answer until then, and reads
 * its outputs from the exported state instead of asking again.
 */
class StackReads {
  private config: ReturnType<Stack["getAllConfig"]> | undefined;
  private state: ReturnType<Stack["exportStack"]> | undefined;
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

  readConfig(): ReturnType<Stack["getAllConfig"]> {
    return (this.config ??= this.workspace.getAllConfig(this.stackName).catch((err: unknown) => {
      this.config = undefined;
      throw err;
    }));
  }

  readState(): ReturnType<Stack["exportStack"]> {
    if (!this.state) this.stateAskedAt = Date.now();
    return (this.state ??= this.workspace.exportStack(this.stackName).catch((err: unknown) => {
      this.state = undefined;
      throw err;
    }));
  }

  forgetConfig(): void {
    this.config = undefined;
  }

  forgetState(): void {
    this.state = undefined;
  }

  attach(stack: Stack): Stack {
    stack.getAllConfig = () => this.readConfig();
    stack.exportStack = () => this.readState();
    stack.outputs = async () => outputsOfState((await this.readState()).deployment ?? {});
    for (const name of ["setConfig", "setAllConfig", "removeConfig", "removeAllConfig", "refreshConfig"] as const) {
      const original = (stack[name] as (...args: unknown[]) => Promise<unknown>).bind(stack);
      (stack as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
        this.forgetConfig();
        return original(...args);
      };
    }
    for (const name of ["up", "refresh", "destroy", "importStack", "cancel"] as const) {
      const original = (stack[name] as (...args: unknown[]) => Promise<unknown>).bind(stack);
      (stack as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
        this.forgetState();
        try {
          // A state read during the operation is kept: the Automation API reads it (for the outputs
          // of an up) only once the engine has finished, so it is the state the operation left.
          return await original(...args);
        } catch (err) {
          this.forgetState();
          throw err;
        }
      };
    }
    readsOf.set(stack, this);
    return stack;
  }
}

const readsOf = new WeakMap<Stack, StackReads>();

/**
 * Drops what the stack read of its state: another process changed it since
 * (an update this run waited for). The next read asks the backend again.
 */
export function forgetState(stack: Stack): void {
  readsOf.get(stack)?.forgetState();
}

/**
 * Drops the state read when the stack was opened if its file (a file
 * backend's checkpoint) was written since, or about then: an update by
 * another process can start and end between the read and the lock check.
 */
export function forgetStateIfWritten(stack: Stack, checkpointFiles: readonly string[]): void {
  const reads = readsOf.get(stack);
  if (reads?.stateAskedAt === undefined) return;
  const written = checkpointFiles.flatMap((f) => {
    try {
      return [statSync(f).mtimeMs];
    } catch {
      return []; // not there: a new stack, or the other form (.json or .json.gz)
    }
  });
  // A second of slack: file times and the clock are not read at the same instant.
  if (written.some((mtime) => mtime >= reads.stateAskedAt! - 1_000)) reads.forgetState();
}

/**
 * Opens (or with `create`, creates) a stack of the project in workDir, its
 * state and, unless `readsConfig` is false, its config read beside the
 * selection. A shard's stack has no config of its own (it runs on its
 * fleet's file), so nothing asks it for config.
 */
export async function openStack(stackName: string, create: boolean, workDir: string, readsConfig = true): Promise<Stack> {
  const workspace = await LocalWorkspace.create({ workDir, pulumiCommand: await pulumiCommand() });
  const reads = new StackReads(workspace, stackName);
  const prefetched = reads.prefetch(readsConfig);
  const stack = await (create ? Stack.createOrSelect(stackName, workspace) : Stack.select(stackName, workspace)).catch(
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
  return reads.attach(stack);
}

function plainOutputs(outputs: OutputMap): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output.value]));
}

export async function stackOutputs(stack: Stack): Promise<StackOutputs> {
  return stackOutputsOf(plainOutputs(await stack.outputs()));
}

/** The stack's outputs as plain values: none before its first update (or when its state cannot be read). */
export async function outputValues(stack: Stack): Promise<Record<string, unknown>> {
  return stack.outputs().then(plainOutputs, () => ({}));
}
