// One state store's files for one stack, as a Pulumi dynamic resource: a
// preview lists the files that would change in Git, an update writes them in
// one commit (src/delivery/state-store-provider.ts does the work).
//
// Pulumi serializes a dynamic provider's methods into the state and runs them
// in its provider host (pulumi-resource-pulumi-nodejs, a plain Node). So each
// method is tiny: it loads the implementation by the absolute path computed
// here, through tsx when that is TypeScript (this repository's src/ under the
// engine), by plain require from the built library (dist/*.js).
import * as pulumi from "@pulumi/pulumi";
import type { StateStoreCommitInputs } from "../gitops/store-inputs";

const implementationPath = require.resolve("../delivery/state-store-provider");
const tsxApiPath = implementationPath.endsWith(".ts") ? require.resolve("tsx/cjs/api") : undefined;

type Implementation = typeof import("../delivery/state-store-provider");

function implementation(): Implementation {
  const host = globalThis as { pledgeTsxRegistered?: boolean };
  if (tsxApiPath && !host.pledgeTsxRegistered) {
    require(tsxApiPath).register();
    host.pledgeTsxRegistered = true;
  }
  return require(implementationPath);
}

const provider: pulumi.dynamic.ResourceProvider = {
  check: async (_olds, news) => ({ inputs: news, failures: implementation().check(news) }),
  diff: async (_id, olds, news) => implementation().diff(olds, news),
  create: async (inputs) => ({ id: inputs.store.name, outs: await implementation().write(inputs) }),
  update: async (_id, olds, news) => ({ outs: await implementation().write(news, olds) }),
  delete: async (_id, state) => implementation().remove(state),
};

/** The inputs, each a pulumi.Input; see StateStoreCommitInputs for what each means. */
export type StateStoreCommitArgs = { [K in keyof StateStoreCommitInputs]: pulumi.Input<StateStoreCommitInputs[K]> };

export class StateStoreCommit extends pulumi.dynamic.Resource {
  /** The branch's head after the last write. */
  declare readonly commit: pulumi.Output<string | undefined>;
  /** Repository path -> sha256 of the text written (a Secret's ciphertext). */
  declare readonly files: pulumi.Output<Record<string, string>>;

  /**
   * Pass `credentials`, and `files` when it holds Secrets, as pulumi.secret:
   * the state then keeps them encrypted.
   */
  constructor(name: string, args: StateStoreCommitArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      { ...args, commit: undefined },
      { ...opts, additionalSecretOutputs: ["credentials"] },
      "pledge",
      "StateStoreCommit",
    );
  }
}
