// Where a stack's `source: local` clusters are read from: the fleet directory
// (PLEDGE_FLEET_DIR, else the state directory's fleet/, relative to the
// project) and each cluster's kubeconfig in it, as the fleet writes them.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { readKubeconfig } from "../../../src/run/kubeconfigs";
import type { ClusterEntry } from "../../../src/config/parse";
import type { Issue } from "../../../src/issues";
import { defaultFleetDir, localClusterDir, localKubeconfigFile } from "../../../src/run/local-fleet-files";

describe("the fleet directory", () => {
  const cases: { rule: string; env: NodeJS.ProcessEnv; expected: string }[] = [
    { rule: "defaults to .pledge/fleet in the project", env: {}, expected: "/project/.pledge/fleet" },
    { rule: "follows the state directory", env: { PLEDGE_STATE_DIR: "/state" }, expected: "/state/fleet" },
    { rule: "a relative state directory is the project's", env: { PLEDGE_STATE_DIR: "run" }, expected: "/project/run/fleet" },
    {
      rule: "PLEDGE_FLEET_DIR wins over the state directory",
      env: { PLEDGE_FLEET_DIR: "/tmp/test-fleet", PLEDGE_STATE_DIR: "/state" },
      expected: "/tmp/test-fleet",
    },
    {
      rule: "a relative PLEDGE_FLEET_DIR is the project's",
      env: { PLEDGE_FLEET_DIR: "fleets/a" },
      expected: "/project/fleets/a",
    },
  ];
  for (const { rule, env, expected } of cases) {
    it(rule, () => assert.equal(defaultFleetDir(env, "/project"), expected));
  }
});

describe("a local cluster's files", () => {
  it("live in a directory named after the cluster, one kubeconfig per user", () => {
    const dir = localClusterDir("/fleet", "local-2");
    assert.equal(dir, "/fleet/local-2");
    assert.equal(localKubeconfigFile(dir), "/fleet/local-2/admin.kubeconfig");
    assert.equal(localKubeconfigFile(dir, "team-a"), "/fleet/local-2/team-a.kubeconfig");
  });
});

describe("a stack cluster with source: local", () => {
  const project = mkdtempSync(join(tmpdir(), "pledge-local-fleet-files-"));
  after(() => rmSync(project, { recursive: true, force: true }));
  const fleetDir = join(project, ".pledge", "fleet");
  const entry = (name: string, localName?: string) =>
    ({ name, source: "local", configPath: "pledge:clusters[0]", ...(localName ? { localName } : {}) }) as ClusterEntry;
  const read = (cluster: ClusterEntry) => {
    const issues: Issue[] = [];
    return { source: readKubeconfig(cluster, project, issues, {}), issues };
  };

  it("with no fleet started, says so and how to start one", () => {
    assert.deepEqual(read(entry("local-1")), {
      source: undefined,
      issues: [
        {
          path: "pledge:clusters[0].source",
          message: `local cluster unavailable: local cluster "local-1" is not in the fleet at ${fleetDir} (has: none); start it with \`npm run fleet:up -- --clusters N\``,
        },
      ],
    });
  });

  it("reads the admin kubeconfig the fleet wrote, by its local name when it has one", () => {
    for (const name of ["local-1", "local-2"]) {
      mkdirSync(localClusterDir(fleetDir, name), { recursive: true });
      writeFileSync(localKubeconfigFile(localClusterDir(fleetDir, name)), `kubeconfig of ${name}\n`);
    }
    assert.deepEqual(read(entry("local-1")), { source: { contents: "kubeconfig of local-1\n" }, issues: [] });
    assert.deepEqual(read(entry("app", "local-2")), { source: { contents: "kubeconfig of local-2\n" }, issues: [] });
  });

  it("names the clusters the fleet has when the one asked for is not among them", () => {
    const { issues } = read(entry("local-3"));
    assert.match(issues[0]!.message, /local cluster "local-3" is not in the fleet at .* \(has: local-1, local-2\)/);
  });
});
