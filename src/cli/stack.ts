// The project's stacks through the Automation API: the same engine, program
// and state as `pulumi up` from the project directory, so CLI and laptop agree.
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { stackOutputsOf, type StackOutputs } from "../outputs";

export async function openStack(stackName: string, create: boolean, workDir: string): Promise<Stack> {
  const args = { stackName, workDir };
  return create ? LocalWorkspace.createOrSelectStack(args) : LocalWorkspace.selectStack(args);
}

export async function stackOutputs(stack: Stack): Promise<StackOutputs> {
  const outputs = await stack.outputs();
  return stackOutputsOf(Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output.value])));
}
