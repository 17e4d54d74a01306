// The project's stacks through the Automation API: the same engine, program
// and state as `pulumi up` from the repository, so CLI and laptop agree.
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { resolve } from "node:path";
import type { PlacementOutputs } from "./placement-view";

export const projectDir = resolve(__dirname, "..", "..");

export async function openStack(stackName: string, create = true, workDir = projectDir): Promise<Stack> {
  const args = { stackName, workDir };
  return create ? LocalWorkspace.createOrSelectStack(args) : LocalWorkspace.selectStack(args);
}

export async function placementOutputsOf(stack: Stack): Promise<PlacementOutputs> {
  const outputs = await stack.outputs();
  const value = (name: string) => outputs[name]?.value as never;
  return { requests: value("requests"), promises: value("promises"), explanations: value("explanations"), clusters: value("clusters"), unplaced: value("unplaced") };
}
