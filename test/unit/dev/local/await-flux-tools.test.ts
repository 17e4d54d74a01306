// Waiting for Git delivery's toolset: a test run builds it in the background,
// so a waiter returns once its directory appears (whole, by rename), fails at
// once with the reason a failed build left, and does not wait for a build
// nobody started.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { awaitFluxTools } from "../../../../dev/local/binaries";

const root = mkdtempSync(join(tmpdir(), "pledge-await-tools-"));
after(() => rmSync(root, { recursive: true, force: true }));

function envFor(name: string, building: boolean): NodeJS.ProcessEnv {
  const dir = join(root, name);
  return {
    PLEDGE_GITOPS_TOOLS: dir,
    PLEDGE_FLUX_BIN: join(dir, "bin"),
    PLEDGE_FLUX_CRDS: join(dir, "flux-crds"),
    ...(building ? { PLEDGE_GITOPS_BUILDING: "1" } : {}),
  };
}

/** A complete toolset directory, built beside and renamed into place as setup does. */
function finish(name: string): void {
  const partial = join(root, `${name}.partial`);
  mkdirSync(join(partial, "bin"), { recursive: true });
  mkdirSync(join(partial, "flux-crds"));
  for (const b of ["source-controller", "kustomize-controller", "sops"]) writeFileSync(join(partial, "bin", b), "");
  writeFileSync(join(partial, "flux-crds", "a.yaml"), "");
  renameSync(partial, join(root, name));
}

it("returns the tools once the background build's directory appears", async () => {
  setTimeout(() => finish("later"), 1_000);
  const tools = await awaitFluxTools(envFor("later", true), 60_000);
  assert.equal(tools.bin("sops"), join(root, "later", "bin", "sops"));
  assert.deepEqual(tools.crdFiles, [join(root, "later", "flux-crds", "a.yaml")]);
});

it("fails at once with the reason a failed build left", async () => {
  writeFileSync(join(root, "failed.failed"), "building gitops failed: go build exited 1\n");
  await assert.rejects(awaitFluxTools(envFor("failed", true), 60_000), /building gitops failed: go build exited 1/);
});

// Were it to wait, it would wait for an hour: the test's own limit catches that.
it("does not wait for a build nobody started: it says what is missing and how to get it", { timeout: 30_000 }, async () => {
  await assert.rejects(awaitFluxTools(envFor("never", false), 60 * 60_000), /Git delivery's tools are missing .*npm run setup/);
});
