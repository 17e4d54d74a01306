// Pulumi mocks for cloud clusters: every registration is recorded with its
// provider, clouds answer with plausible state (endpoints, CAs, names), and
// only the invokes Pledge is known to make are answered; any other throws, so
// a new call to a cloud never passes silently.
import * as pulumi from "@pulumi/pulumi";
import { catalogue } from "../../promises";
import type { PreviousPlacement } from "../../src/core/facts";
import type { StackOutputs } from "../../src/outputs";
import { pledgeProgram } from "../../src/program";

export interface Registered {
  type: string;
  name: string;
  inputs: any;
  provider?: string;
}

export interface Invoked {
  token: string;
  inputs: any;
  provider?: string;
}

export interface MockOptions {
  /** Changes every endpoint and CA the clouds return, as a rotated or recreated endpoint would. */
  endpointVariant?: string;
}

const b64 = (text: string) => Buffer.from(text).toString("base64");

/** What AKS returns from listManagedClusterUserCredentials, in both shapes. */
export function aksCredentials(cluster: string, format: string | undefined, variant: string): string {
  const server = `https://${cluster}-${variant}.hcp.westeurope.azmk8s.io:443`;
  const ca = b64(`aks-ca-${cluster}-${variant}`);
  const user =
    format === "exec"
      ? `    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: kubelogin\n      args: [get-token, --environment, AzurePublicCloud, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630, --client-id, 80faf920-1908-4b52-b5ef-a8e7bedfc67a, --tenant-id, 11111111-2222-3333-4444-555555555555, --login, devicecode]\n`
      : `    client-certificate-data: ${b64("client-cert")}\n    client-key-data: ${b64("client-key")}\n    token: local-account-token-${cluster}\n`;
  return `apiVersion: v1\nkind: Config\nclusters:\n- name: ${cluster}\n  cluster:\n    certificate-authority-data: ${ca}\n    server: ${server}\ncontexts:\n- name: ${cluster}\n  context:\n    cluster: ${cluster}\n    user: clusterUser_${cluster}\ncurrent-context: ${cluster}\nusers:\n- name: clusterUser_${cluster}\n  user:\n${user}`;
}

function cloudState(type: string, name: string, inputs: any, variant: string): Record<string, unknown> {
  switch (type) {
    case "aws:eks/cluster:Cluster":
      return {
        ...inputs,
        arn: `arn:aws:eks:eu-west-1:123456789012:cluster/${inputs.name}`,
        endpoint: `https://${inputs.name}-${variant}.gr7.eu-west-1.eks.amazonaws.com`,
        certificateAuthority: { data: b64(`eks-ca-${inputs.name}-${variant}`) },
      };
    case "aws:iam/role:Role":
      return { ...inputs, name: `${name}-1234567`, arn: `arn:aws:iam::123456789012:role/${name}-1234567` };
    case "azure-native:resources:ResourceGroup":
      return { ...inputs, name: inputs.resourceGroupName };
    case "azure-native:containerservice:ManagedCluster":
      return { ...inputs, name: inputs.resourceName, fqdn: `${inputs.resourceName}-${variant}.hcp.westeurope.azmk8s.io` };
    case "gcp:container/cluster:Cluster":
      return {
        ...inputs,
        endpoint: `203.0.113.${variant.length}`,
        masterAuth: { clusterCaCertificate: b64(`gke-ca-${inputs.name}-${variant}`) },
      };
    default:
      return inputs;
  }
}

export async function installCloudMocks(options: MockOptions = {}) {
  const variant = options.endpointVariant ?? "a";
  const registered: Registered[] = [];
  const invoked: Invoked[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
        return {
          id: args.custom === false ? "" : `${args.name}-id`,
          state: cloudState(args.type, args.name, args.inputs, variant),
        };
      },
      call(args) {
        invoked.push({ token: args.token, inputs: args.inputs, provider: args.provider });
        switch (args.token) {
          case "aws:index/getAvailabilityZones:getAvailabilityZones":
            return {
              names: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
              zoneIds: ["euw1-az1", "euw1-az2", "euw1-az3"],
              id: "eu-west-1",
            };
          case "azure-native:containerservice:listManagedClusterUserCredentials":
            return {
              kubeconfigs: [
                { name: "clusterUser", value: b64(aksCredentials(args.inputs.resourceName, args.inputs.format, variant)) },
              ],
            };
          case "kubernetes:helm:template":
            // The chart render check before registration; rendering itself is the provider's, tested for real in test/e2e.
            return { result: [] };
          default:
            throw new Error(`unexpected invoke ${args.token}: the cluster code must not call functions the tests do not know`);
        }
      },
    },
    "pledge",
    "test",
    false,
  );
  return { registered, invoked };
}

// The SDK's own drain of outstanding RPCs (internal, so looked up defensively).
const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;

/** Waits until every registration and invoke, including those behind applies, has reached the mocks. */
async function settle(progress: () => number): Promise<void> {
  let seen = -1;
  while (seen !== progress()) {
    seen = progress();
    await waitForRPCs?.();
    // Applies can start new RPCs after the queue looked empty: wait until nothing more arrives.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs the whole Pledge program under the cloud mocks with this stack config. */
export async function runFleet(
  config: Record<string, unknown>,
  options: MockOptions = {},
  previous: PreviousPlacement = new Map(),
) {
  const { registered, invoked } = await installCloudMocks(options);
  const all = { "pledge:secretSeed": mockSecretSeed, ...config };
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(all).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
    [],
  );
  let outputs: StackOutputs | undefined;
  let error: unknown;
  try {
    outputs = await pledgeProgram({
      catalogue,
      projectDir: process.cwd(),
      previousState: async () => ({
        placement: previous,
        clusters: [],
        eligible: new Map(),
        parents: new Map(),
        teams: new Map(),
        keptNamespaces: [],
      }),
    });
  } catch (err) {
    error = err;
  }
  await settle(() => registered.length + invoked.length);
  return { registered, invoked, outputs, error };
}

const secretSig = "4dabf18193072939515e22adb298388d";

/** A fixed seed for generated passwords under mocks (a real stack's is a Pulumi secret set by `pledge up`). */
export const mockSecretSeed = "mock-secret-seed-PLAINTEXT-CANARY";

/** Under mocks a secret input arrives as the engine's envelope; undefined means it was not secret. */
export function secretValue(input: unknown): string | undefined {
  if (typeof input === "object" && input !== null && (input as Record<string, unknown>)[secretSig] !== undefined)
    return (input as { value: string }).value;
  return undefined;
}

export function byType(registered: readonly Registered[], type: string): Registered[] {
  return registered.filter((r) => r.type === type);
}

export function one(registered: readonly Registered[], type: string, name: string): Registered {
  const found = registered.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1)
    throw new Error(
      `expected one ${type} named ${name}, found ${found.length}; registered: ${registered.map((r) => `${r.type}::${r.name}`).join(", ")}`,
    );
  return found[0]!;
}

/** The provider reference a resource was registered with names its provider by URN. */
export function providerName(ref: string | undefined): string | undefined {
  return ref?.split("::")[3];
}
