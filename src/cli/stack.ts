// The project's stacks through the Automation API: the same engine, program
// and state as `pulumi up` from the project directory, so CLI and laptop agree.
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { stackOutputsOf, type StackOutputs } from "../outputs";

/**
 * Each read of a stack's config or outputs runs the pulumi CLI (about a second
 * on a busy machine), and one `pledge up` asks several times (config check,
 * password seed, cluster probe, the unchanged check, the summary). Within one
 * CLI run the answer only changes when the run itself changes it: config when
 * it sets a key, outputs when it runs the engine. So the stack keeps the last
 * answer until then.
 */
function readOnce(stack: Stack): Stack {
  const getAllConfig = stack.getAllConfig.bind(stack);
  const outputs = stack.outputs.bind(stack);
  let config: ReturnType<Stack["getAllConfig"]> | undefined;
  let lastOutputs: ReturnType<Stack["outputs"]> | undefined;
  stack.getAllConfig = () => (config ??= getAllConfig().catch((err: unknown) => ((config = undefined), Promise.reject(err))));
  stack.outputs = () => (lastOutputs ??= outputs().catch((err: unknown) => ((lastOutputs = undefined), Promise.reject(err))));
  for (const name of ["setConfig", "setAllConfig", "removeConfig", "removeAllConfig", "refreshConfig"] as const) {
    const original = (stack[name] as (...args: unknown[]) => Promise<unknown>).bind(stack);
    (stack as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      config = undefined;
      return original(...args);
    };
  }
  for (const name of ["up", "refresh", "destroy"] as const) {
    const original = (stack[name] as (...args: unknown[]) => Promise<unknown>).bind(stack);
    (stack as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      lastOutputs = undefined;
      try {
        return await original(...args);
      } finally {
        lastOutputs = undefined;
      }
    };
  }
  return stack;
}

export async function openStack(stackName: string, create: boolean, workDir: string): Promise<Stack> {
  const args = { stackName, workDir };
  return readOnce(await (create ? LocalWorkspace.createOrSelectStack(args) : LocalWorkspace.selectStack(args)));
}

export async function stackOutputs(stack: Stack): Promise<StackOutputs> {
  const outputs = await stack.outputs();
  return stackOutputsOf(Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output.value])));
}
