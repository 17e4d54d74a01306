// A stack's outputs: as its exported state records them (so no pulumi run
// asks for them again), as plain values, and as Pledge's outputs contract
// (src/outputs.ts).
import type { OutputMap } from "@pulumi/pulumi/automation";
import { stackOutputsOf, type StackOutputs } from "../../outputs";
import { isSecretValue, openSecrets } from "./state-objects";

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

/** A stack whose outputs can be asked for (a PledgeStack). */
interface WithOutputs {
  outputs(): Promise<OutputMap>;
}

function plainOutputs(outputs: OutputMap): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output.value]));
}

export async function stackOutputs(stack: WithOutputs): Promise<StackOutputs> {
  return stackOutputsOf(plainOutputs(await stack.outputs()));
}

/** The stack's outputs as plain values: none before its first update (or when its state cannot be read). */
export async function outputValues(stack: WithOutputs): Promise<Record<string, unknown>> {
  return stack.outputs().then(plainOutputs, () => ({}));
}
