// What charts and YAML files name is read before anything is registered: YAML
// documents become objects (for the ownership check), and a missing chart, an
// unreadable file or an unparsable document is a problem naming the promise,
// the cluster and the source. Local files only; URLs are tested in test/e2e.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { helmChart, yamlFile, type BuildingBlock } from "../../../src/promise/blocks";
import { chartInputs, providerPath, templateOptions } from "../../../src/promise/chart-args";
import type { RenderPlan } from "../../../src/promise/plan";
import { loadPlanSources } from "../../../src/run/sources";
import { parseYamlObjects } from "../../../src/promise/yaml-objects";

const project = mkdtempSync(join(tmpdir(), "pledge-sources-"));
mkdirSync(join(project, "charts", "ok"), { recursive: true });
writeFileSync(join(project, "charts", "ok", "Chart.yaml"), "apiVersion: v2\nname: ok\nversion: 0.1.0\n");
mkdirSync(join(project, "charts", "not-a-chart"), { recursive: true });
writeFileSync(
  join(project, "two.yaml"),
  "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n# empty\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: a}\n",
);
writeFileSync(join(project, "bad.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Not_Valid}\n");

function planOf(...blocks: BuildingBlock[]): RenderPlan {
  return {
    outputs: new Map(),
    objects: blocks.map((content, i) => ({
      resourceName: `p@c1/${i}`,
      cluster: "c1",
      content,
      owner: { kind: "dependency", promise: "p" },
      dependsOn: [],
    })),
  };
}

describe("parseYamlObjects", () => {
  it("returns every document as an object, skipping empty ones and expanding lists", () => {
    const { objects, problems } = parseYamlObjects(
      "kind: List\napiVersion: v1\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: x}}\n---\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: y}\n",
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      objects.map((o) => `${o.kind}/${o.metadata.name}`),
      ["ConfigMap/x", "Secret/y"],
    );
  });

  it("names the document that is not valid YAML or not a Kubernetes object", () => {
    assert.match(parseYamlObjects("a: [unclosed\n").problems[0]!, /^document 1 is not valid YAML: /);
    assert.deepEqual(parseYamlObjects("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\n- just a list\n").problems, [
      "document 2: is not an object",
    ]);
  });
});

describe("loadPlanSources", () => {
  it("reads each YAML file's objects under the block's resource name", async () => {
    const { yamlObjects, issues } = await loadPlanSources(
      planOf(yamlFile({ file: "two.yaml" }), helmChart({ name: "ok", namespace: "n", chart: { path: "charts/ok" } })),
      project,
    );
    assert.deepEqual(issues, []);
    assert.deepEqual(
      yamlObjects.get("p@c1/0")!.map((o) => o.metadata.name),
      ["a", "b"],
    );
  });

  it("reports a missing chart, a directory that is not a chart, a missing file and an invalid object, each with promise and cluster", async () => {
    const { issues } = await loadPlanSources(
      planOf(
        helmChart({ name: "gone", namespace: "n", chart: { path: "charts/gone" } }),
        helmChart({ name: "empty", namespace: "n", chart: { path: join(project, "charts", "not-a-chart") } }),
        yamlFile({ file: "missing.yaml" }),
        yamlFile({ file: "bad.yaml" }),
      ),
      project,
    );
    assert.deepEqual(
      issues.map((i) => i.message),
      [
        "YAML bad.yaml: document 1 (ConfigMap): metadata.name \"Not_Valid\" is not a valid ConfigMap name: it must be a DNS subdomain (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters)",
        "YAML missing.yaml cannot be read: no such file",
        `chart ${join(project, "charts", "not-a-chart")} (release empty in n): ${join(project, "charts", "not-a-chart")} has no Chart.yaml, so it is not a Helm chart`,
        `chart charts/gone (release gone in n): ${join(project, "charts", "gone")} does not exist`,
      ],
    );
    assert.ok(issues.every((i) => i.path === "promise p dependencies on c1"));
  });

  it("leaves remote charts to the provider's render", async () => {
    const { issues } = await loadPlanSources(
      planOf(helmChart({ name: "r", namespace: "n", chart: { oci: "oci://example.invalid/r", version: "1.0.0" } })),
      project,
    );
    assert.deepEqual(issues, []);
  });
});

describe("provider arguments", () => {
  it("a chart inside the project is passed relative to the program's directory, so a moved checkout changes no state", () => {
    const atRoot = { projectDir: project, programDir: project };
    assert.equal(providerPath(join(project, "charts", "ok"), atRoot), "./charts/ok");
    assert.equal(providerPath("charts/ok", atRoot), "./charts/ok");
    assert.equal(
      providerPath("charts/ok", { projectDir: project, programDir: join(project, "src") }),
      "../charts/ok",
      "Pulumi.yaml main: src/ runs providers in src/",
    );
    assert.equal(providerPath("/elsewhere/chart", atRoot), "/elsewhere/chart");
  });

  it("maps each chart source to helm.v4.Chart inputs and to the render function's options", () => {
    const repo = helmChart({
      name: "r",
      namespace: "n",
      chart: { repo: "https://charts.example.dev", name: "redis", version: "1.2.3" },
      values: { a: 1 },
    });
    assert.deepEqual(chartInputs(repo, { projectDir: project, programDir: project }), {
      chart: "redis",
      version: "1.2.3",
      repositoryOpts: { repo: "https://charts.example.dev" },
      name: "r",
      namespace: "n",
      values: { a: 1 },
      skipCrds: false,
    });
    assert.deepEqual(templateOptions(repo, project), {
      chart: "redis",
      version: "1.2.3",
      fetch_opts: { repo: "https://charts.example.dev" },
      namespace: "n",
      release_name: "r",
      values: { a: 1 },
      skip_crd_rendering: false,
    });
    const oci = helmChart({ name: "o", namespace: "n", chart: { oci: "oci://ghcr.io/x/y", version: "2.0.0" }, skipCrds: true });
    assert.deepEqual(chartInputs(oci, { projectDir: project, programDir: project }), {
      chart: "oci://ghcr.io/x/y",
      version: "2.0.0",
      name: "o",
      namespace: "n",
      values: {},
      skipCrds: true,
    });
    const local = helmChart({ name: "l", namespace: "n", chart: { path: "charts/ok" } });
    assert.equal(
      templateOptions(local, project).path,
      join(project, "charts", "ok"),
      "the render function gets an absolute path",
    );
  });
});
