// The render plan's rules for charts, YAML files and manifests: what waits for
// what on a cluster, one owner per object (also for objects inside charts and
// YAML files), and promise bugs caught before anything is registered.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import type { OfferedPromise, RequestModel } from "../../../src/promise/stack-model";
import { placeFleet } from "../../../src/core/placement";
import { helmChart, yamlFile, type RenderedItem } from "../../../src/promise/blocks";
import { definePromise } from "../../../src/promise/define";
import type { Manifest } from "../../../src/promise/manifest";
import { expandedClaims, ownershipIssues, planClaims, planObjects, type PlannedObject } from "../../../src/promise/plan";

const crd: Manifest = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.example.dev" },
};
const namespace: Manifest = { apiVersion: "v1", kind: "Namespace", metadata: { name: "pledge-widgets" } };
const settings: Manifest = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: "pledge-widgets" } };
const operatorChart = helmChart({ name: "widget-operator", namespace: "pledge-widgets", chart: { path: "charts/widgets" } });

function offer(name: string, dependencies: () => RenderedItem[], render: () => RenderedItem[] = () => []): OfferedPromise {
  const promise = definePromise({ name, version: "1.0.0", description: name, schema: z.object({}), dependencies, render });
  return { promise, selectors: [], tolerations: [], placement: { count: 1 } };
}

function requestOf(promise: string, name: string, team = "shop"): RequestModel {
  return { promise, name, team, namespace: team, spec: {}, configPath: `pledge:requests[${name}]` };
}

function plan(promises: OfferedPromise[], requests: RequestModel[] = [], clusters = ["c1"]) {
  const placement = placeFleet({
    clusters: clusters.map((name) => ({ name, labels: {}, taints: [] })),
    promises: promises.map((p) => ({
      name: p.promise.name,
      selectors: [],
      tolerations: [],
      requires: [],
      defaults: { count: 1 },
    })),
    requests: requests.map((r) => ({ promise: r.promise, name: r.name })),
    previous: new Map(),
  });
  return planObjects({ clusters: clusters.map((name) => ({ name, labels: {} })), promises, requests, placement });
}

const named = (objects: PlannedObject[], suffix: string) => objects.find((o) => o.resourceName.endsWith(suffix))!;

describe("order on a cluster", () => {
  it("CRDs and namespaces first, then charts and YAML files, then the remaining manifests", () => {
    const { plan: p, issues } = plan([
      offer("widgets", () => [settings, operatorChart, yamlFile({ file: "extra.yaml" }), crd, namespace]),
    ]);
    assert.deepEqual(issues, []);
    const foundations = ["widgets@c1/CustomResourceDefinition/widgets.example.dev", "widgets@c1/Namespace/pledge-widgets"];
    assert.deepEqual(named(p.objects, "CustomResourceDefinition/widgets.example.dev").dependsOn, []);
    assert.deepEqual(named(p.objects, "HelmChart/pledge-widgets/widget-operator").dependsOn, foundations);
    assert.deepEqual(named(p.objects, "YamlFile/extra").dependsOn, foundations);
    assert.deepEqual(named(p.objects, "ConfigMap/pledge-widgets/settings").dependsOn, [
      ...foundations,
      "widgets@c1/HelmChart/pledge-widgets/widget-operator",
      "widgets@c1/YamlFile/extra",
    ]);
  });

  it("a request waits for its team namespace and for every dependency of its promise on that cluster, charts included", () => {
    const widget: Manifest = { apiVersion: "example.dev/v1", kind: "Widget", metadata: { name: "w", namespace: "shop" } };
    const { plan: p } = plan(
      [
        offer(
          "widgets",
          () => [namespace, operatorChart],
          () => [widget],
        ),
      ],
      [requestOf("widgets", "w")],
    );
    assert.deepEqual(named(p.objects, "widgets/w@c1/Widget/shop/w").dependsOn, [
      "c1/Namespace/shop",
      "widgets@c1/Namespace/pledge-widgets",
      "widgets@c1/HelmChart/pledge-widgets/widget-operator",
    ]);
  });

  it("a chart in a request's render is named after the request and the release", () => {
    const release = helmChart({
      name: "app-w",
      namespace: "shop",
      chart: { oci: "oci://example.dev/charts/app", version: "1.2.3" },
      release: true,
    });
    const { plan: p } = plan(
      [
        offer(
          "app",
          () => [],
          () => [release],
        ),
      ],
      [requestOf("app", "w")],
    );
    assert.deepEqual(
      p.objects.map((o) => o.resourceName),
      ["c1/Namespace/shop", "app/w@c1/HelmChart/shop/app-w"],
    );
  });
});

describe("one owner per object", () => {
  it("two promises installing the same release on a cluster is an error naming both", () => {
    const { issues } = plan([offer("a", () => [operatorChart]), offer("b", () => [operatorChart])]);
    assert.deepEqual(issues, [
      {
        kind: "promise",
        path: "dependencies of promise b",
        message: "renders HelmChart/pledge-widgets/widget-operator on c1, which dependencies of promise a already owns",
        hint: "rename the object in the promise",
      },
    ]);
  });

  it("an object inside a YAML file that a manifest already owns is an error naming the file", () => {
    const { plan: p, issues } = plan([
      offer("a", () => [settings]),
      offer("b", () => [yamlFile({ file: "promises/b/settings.yaml" })]),
    ]);
    assert.deepEqual(issues, [], "the plan alone cannot see inside the file");
    const yamlBlock = p.objects.find((o) => o.resourceName === "b@c1/YamlFile/settings")!;
    const claims = [...planClaims(p), ...expandedClaims(p, new Map([[yamlBlock.resourceName, [settings]]]))];
    assert.deepEqual(ownershipIssues(claims), [
      {
        kind: "promise",
        path: "dependencies of promise b",
        message:
          "renders ConfigMap/pledge-widgets/settings on c1 through its YAML promises/b/settings.yaml, which dependencies of promise a already owns",
        hint: "rename the object in the promise",
      },
    ]);
  });

  it("a chart that renders a team's namespace collides with the namespace Pledge creates for the team", () => {
    const chart = helmChart({ name: "app", namespace: "shop", chart: { path: "charts/app" } });
    const { plan: p } = plan(
      [
        offer(
          "app",
          () => [],
          () => [chart],
        ),
      ],
      [requestOf("app", "w")],
    );
    const chartObject = p.objects.find((o) => o.owner.kind === "request")!;
    const teamNamespace: Manifest = { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } };
    const issues = ownershipIssues([
      ...planClaims(p),
      ...expandedClaims(p, new Map([[chartObject.resourceName, [teamNamespace]]])),
    ]);
    assert.equal(issues.length, 1);
    assert.match(
      issues[0]!.message,
      /^renders Namespace\/shop on c1 through its chart charts\/app \(release app in shop\), which the environment of team shop already owns$/,
    );
  });
});

describe("promise bugs in blocks", () => {
  const bugs: [string, RenderedItem, RegExp][] = [
    [
      "a release name Helm refuses",
      helmChart({ name: "Operator_1", namespace: "ns", chart: { path: "c" } }),
      /release name "Operator_1" must be a DNS label of at most 53 characters/,
    ],
    [
      "a remote chart without an exact version",
      helmChart({ name: "x", namespace: "ns", chart: { repo: "https://charts.example.dev", name: "x", version: "^1" } }),
      /chart x from https:\/\/charts\.example\.dev needs an exact version \(e\.g\. 1\.2\.3\), got "\^1"/,
    ],
    [
      "an OCI reference without oci://",
      helmChart({ name: "x", namespace: "ns", chart: { oci: "ghcr.io/x", version: "1.0.0" } }),
      /chart oci "ghcr\.io\/x" must start with oci:\/\//,
    ],
    [
      "a chart with no source",
      helmChart({ name: "x", namespace: "ns", chart: {} as never }),
      /chart needs one of \{path\}, \{oci, version\} or \{repo, name, version\}/,
    ],
    [
      "a YAML URL that is not http(s)",
      yamlFile({ url: "ftp://example.dev/x.yaml" }),
      /YAML url "ftp:\/\/example\.dev\/x\.yaml" must be an http\(s\) URL/,
    ],
  ];
  for (const [what, item, message] of bugs) {
    it(`${what} is reported as a bug in the promise, with nothing planned`, () => {
      const { plan: p, issues } = plan([offer("bad", () => [item])]);
      assert.equal(issues.length, 1);
      assert.equal(issues[0]!.path, "promise bad dependencies on c1");
      assert.match(issues[0]!.message, message);
      assert.equal(issues[0]!.hint, "this is a bug in the promise");
      assert.deepEqual(p.objects, []);
    });
  }

  it("a render that returns something other than a list is a bug in the promise", () => {
    const { issues } = plan([offer("bad", () => ({}) as never)]);
    assert.deepEqual(
      issues.map((i) => i.message),
      ["did not return a list of manifests, charts and YAML files"],
    );
  });
});

describe("yamlFile", () => {
  it("names the block after the file unless told", () => {
    assert.equal(yamlFile({ file: "/x/promises/cert/CRDs.yaml" }).name, "crds");
    assert.equal(yamlFile({ url: "https://example.dev/releases/v1/install.yml?x=1" }).name, "install");
    assert.equal(yamlFile({ file: "a.yaml", name: "base" }).name, "base");
  });
});
