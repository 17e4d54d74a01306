// Proof that a file in Git decrypts for a cluster: the real sops with only the
// cluster's age identity (as Flux's sops-age Secret gives kustomize-controller).
import { execFileSync } from "node:child_process";
import { sopsBinary } from "../src/delivery/sops";

export function decryptWithIdentity(encrypted: string, identity: string): string {
  const args = ["--config", "/dev/null", "decrypt", "--input-type", "yaml", "--output-type", "yaml"];
  return execFileSync(sopsBinary(), [...args, "--filename-override", "secret.yaml"], {
    input: encrypted,
    env: { ...process.env, SOPS_AGE_KEY: identity },
    encoding: "utf8",
  });
}
