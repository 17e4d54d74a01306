// `pledge bootstrap <cluster>`: what a Git-delivered cluster needs to pull its
// directory of its state store (src/gitops/bootstrap-bundle.ts), printed (or
// written with --out) for its admin, or applied with --apply where the cluster
// can be reached, with the read credentials from config and the age identity
// from a file. docs/gitops.md.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { parseAllDocuments } from "yaml";
import { bootstrapBundle, bundleText } from "../../gitops/bootstrap-bundle";
import { credentialSecrets, defaultAgeSecretName } from "../../gitops/bootstrap";
import type { Manifest } from "../../promise/manifest";
import { readKubeconfigs } from "../../run/kubeconfigs";
import { objectClient } from "../clusters/kube-client";
import { fleetConfig } from "../clusters/reachability";
import { PledgeStack } from "../stack/pledge-stack";
import { UpdateError } from "../update-error";
import { say } from "../views/output";
import { withStack, type StackOptions } from "./options";

interface BootstrapFlags extends StackOptions {
  apply: boolean;
  out?: string;
  ageKeyFile?: string;
  withoutControllers?: boolean;
  interval?: string;
}

/** Flux's CRDs from setup's copy of the controllers' modules (PLEDGE_FLUX_CRDS). */
function fluxCrds(): Manifest[] {
  const dir = process.env.PLEDGE_FLUX_CRDS;
  if (!dir)
    throw new UpdateError(
      "PLEDGE_FLUX_CRDS is not set: run through `npm run pledge` (setup copies Flux's CRDs), or give --without-controllers when Flux is installed",
    );
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), "utf8")).map((d) => d.toJS() as Manifest));
}

async function applyAll(kubeconfig: string, context: string | undefined, objects: readonly Manifest[]): Promise<void> {
  const client = objectClient(kubeconfig, context);
  for (const o of objects) await client.patch(o, undefined, undefined, "pledge-bootstrap", true, "application/apply-patch+yaml");
}

export function bootstrapCommand(): Command {
  return withStack(
    new Command("bootstrap").description(
      "what a Git-delivered cluster needs to pull its directory with Flux: printed for its admin, or applied with --apply",
    ),
  )
    .argument("<cluster>", "a Git-delivered cluster of pledge:clusters")
    .option("--apply", "apply it to the cluster (it must be readable: a kubeconfig or a local cluster)", false)
    .option("--out <file>", "write the bundle to this file instead of stdout")
    .option("--age-key-file <file>", "with --apply: the cluster's age identity file, put in the Secret sops-age")
    .option("--without-controllers", "leave Flux's CRDs and controllers out (Flux is already installed)")
    .option("--interval <duration>", "how often Flux fetches, a Go duration (default 10s)")
    .action(async (name: string, opts: BootstrapFlags) => {
      const stack = await PledgeStack.open(opts.stack, false, opts.dir);
      const fleet = await fleetConfig(stack);
      if (!fleet) throw new UpdateError(`the stack's config has problems: run pledge preview -s ${opts.stack} to see them`);
      const cluster = fleet.clusters.find((c) => c.name === name);
      if (!cluster)
        throw new UpdateError(
          `cluster ${JSON.stringify(name)} is not in pledge:clusters (has: ${fleet.clusters.map((c) => c.name).join(", ")})`,
        );
      if (!cluster.delivery)
        throw new UpdateError(
          `cluster ${name} is not Git-delivered: give it delivery: {gitops: {store, ageRecipient}} (docs/gitops.md)`,
        );
      const store = fleet.stateStores.find((s) => s.name === cluster.delivery!.gitops.store)!;
      const bundle = bootstrapBundle({
        cluster,
        store,
        crds: opts.withoutControllers ? [] : fluxCrds(),
        withControllers: !opts.withoutControllers,
        ...(opts.interval ? { interval: opts.interval } : {}),
      });
      if (!opts.apply) {
        const text = bundleText(bundle, name);
        if (opts.out) writeFileSync(opts.out, text);
        else process.stdout.write(text);
        say(`${bundle.objects.length} objects for ${name}${opts.out ? ` in ${opts.out}` : ""}; then create the two Secrets:`);
        for (const line of bundle.instructions) say(`  ${line}`);
        return;
      }
      const { sources, issues } = readKubeconfigs([cluster], opts.dir);
      const access = sources.get(name);
      if (!access)
        throw new UpdateError(
          `cluster ${name} cannot be reached to apply (${issues[0]?.message ?? "it is Git-only"}): run without --apply and hand the bundle to its admin`,
        );
      if (!store.readCredentials)
        throw new UpdateError(
          `--apply needs the read credentials Flux uses: set pledge:stateStores[name=${store.name}].readCredentials`,
        );
      if (!opts.ageKeyFile)
        throw new UpdateError(
          `--apply needs --age-key-file: the identity whose public key is ${cluster.delivery.gitops.ageRecipient}`,
        );
      const secrets = credentialSecrets({
        cluster: name,
        gitSecretName: bundle.gitSecretName,
        ...store.readCredentials,
        ageIdentity:
          readFileSync(opts.ageKeyFile, "utf8")
            .split("\n")
            .find((l) => l.startsWith("AGE-SECRET-KEY-"))
            ?.trim() ?? "",
        ageSecretName: defaultAgeSecretName,
      });
      // Namespace and CRDs first (the bundle's order), the Secrets before what refers to them.
      const [namespaceAndCrds, rest] = [
        bundle.objects.filter((o) => o.kind === "Namespace" || o.kind === "CustomResourceDefinition"),
        bundle.objects.filter((o) => o.kind !== "Namespace" && o.kind !== "CustomResourceDefinition"),
      ];
      await applyAll(access.contents, access.context, [...namespaceAndCrds, ...secrets, ...rest]);
      say(`applied ${bundle.objects.length} objects and 2 Secrets to ${name}: Flux pulls ${store.url} (${store.branch})`);
    });
}
