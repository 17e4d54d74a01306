// Pledge's own code (the library's sources or build, of which this file is
// one) and the Pulumi SDKs' versions, for the stack fingerprint: a new Pledge
// registers differently, so a stack updated by an older one is never taken as
// unchanged.
import { resolve } from "node:path";
import { directoryDigest } from "../run/directory-digest";

let cached: string | undefined;

export function pledgeCodeDigest(): string {
  if (cached) return cached;
  const versions = ["@pulumi/pulumi", "@pulumi/kubernetes"].map((p) => {
    try {
      return `${p}@${(require(`${p}/package.json`) as { version: string }).version}`;
    } catch {
      return `${p}@?`;
    }
  });
  cached = `${directoryDigest(resolve(__dirname, ".."))} ${versions.join(" ")}`;
  return cached;
}
