// Proof that a file in Git decrypts for a cluster: the real sops with only the
// cluster's age identity (as Flux's sops-age Secret gives kustomize-controller).
import { execFileSync } from "node:child_process";
import { sopsBinary } from "../src/delivery/sops";
import { awaitFluxTools } from "../dev/local/binaries";

/**
 * sops is built by setup with Git delivery's toolset, which a test run builds
 * in the background (tools/run.mjs): wait for it, or fail with why its build failed.
 */
export async function sopsReady(): Promise<void> {
  await awaitFluxTools();
}

export function decryptWithIdentity(encrypted: string, identity: string): string {
  const args = ["--config", "/dev/null", "decrypt", "--input-type", "yaml", "--output-type", "yaml"];
  return execFileSync(sopsBinary(), [...args, "--filename-override", "secret.yaml"], {
    input: encrypted,
    env: { ...process.env, SOPS_AGE_KEY: identity },
    encoding: "utf8",
  });
}
