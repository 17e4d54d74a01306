// The Kubernetes provider plugin's own Go tests: unit tests, then its
// integration tests against a real API server of the test fleet.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { localKubeconfigFile } from "../../src/local/fleet";
import { ensureTestFleet, repoRoot, testFleetDir } from "./harness";

const providerDir = join(repoRoot, "tools", "kube-provider");

function goTest(args: string[]): void {
  const result = spawnSync("go", ["test", "-count=1", ...args, "./..."], {
    cwd: providerDir,
    encoding: "utf8",
    env: { ...process.env, CGO_ENABLED: "0", GOTOOLCHAIN: "local", GOFLAGS: "-buildvcs=false -mod=readonly" },
  });
  assert.equal(result.status, 0, `go test ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
}

describe("kube-provider Go tests", { timeout: 15 * 60_000 }, () => {
  it("unit tests pass", () => goTest([]));

  it("integration tests pass against a local API server", async () => {
    const [cluster] = await ensureTestFleet(1);
    goTest(["-tags", "integration", "-run", "Integration", `-kubeconfig=${localKubeconfigFile(testFleetDir(), cluster!)}`]);
  });
});
