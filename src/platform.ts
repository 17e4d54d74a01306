// definePlatform: a platform in one call. It returns the Pulumi program (what
// `export =` of Pulumi.yaml's main module must be) and carries the catalogue,
// so the `pledge` CLI can read a project's promises (`pledge promises`,
// `pledge schema`) by loading the same module, without running anything.
import type { StackOutputs } from "./outputs";
import type { PledgePromise } from "./promise/define";
import { pledgeProgram, type PledgeProgramOptions } from "./program";
import { pledgeCodeDigest } from "./pulumi/code-digest";

export type PledgePlatform = (() => Promise<StackOutputs>) & {
  /** The promises this platform can offer (stack config chooses which it does). */
  readonly catalogue: readonly PledgePromise<any>[];
  /**
   * The digest of the Pledge code this program runs, as its fingerprint has it.
   * The CLI may be another copy of Pledge (a build of the same sources, or a
   * global install), so it asks the program's own copy.
   */
  readonly codeDigest: () => string;
};

export function definePlatform(options: PledgeProgramOptions): PledgePlatform {
  const names = options.catalogue.map((p) => p.name);
  const twice = names.filter((name, i) => names.indexOf(name) !== i);
  if (twice.length > 0)
    throw new Error(`definePlatform: the catalogue has more than one promise named ${[...new Set(twice)].join(", ")}`);
  return Object.assign(() => pledgeProgram(options), { catalogue: options.catalogue, codeDigest: pledgeCodeDigest });
}

export function isPledgePlatform(value: unknown): value is PledgePlatform {
  return typeof value === "function" && Array.isArray((value as { catalogue?: unknown }).catalogue);
}
