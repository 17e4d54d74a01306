// parseKratixPromise: what Pledge reads from a Kratix Promise file, and the
// sentences a promise author reads when Kratix (or kubectl's strict
// validation) would refuse the file, each at its key path in the file.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseKratixPromise } from "../../../src/kratix/promise-file";
import { crd, crdWithRoot, fixtures, lines, pipeline, promiseYaml, where } from "./helpers";

function problems(text: string): string[] {
  const result = parseKratixPromise(text, where);
  return result.ok ? [] : lines(result.issues);
}

function parsed(text: string) {
  const result = parseKratixPromise(text, where);
  assert.ok(result.ok, `expected a promise, got ${JSON.stringify(result)}`);
  return result.promise;
}

describe("reading a Promise", () => {
  it("reads every field of a Promise file", () => {
    const promise = parsed(readFileSync(join(fixtures, "cache.yaml"), "utf8"));
    assert.equal(promise.name, "cache");
    assert.equal(promise.version, "v1.2.0");
    assert.deepEqual(promise.api && { ...promise.api, schema: undefined }, {
      group: "marketplace.example.dev",
      version: "v1alpha1",
      kind: "Cache",
      schema: undefined,
      specRequired: false,
      specField: "declared",
    });
    assert.deepEqual(
      promise.dependencies.map((d) => `${d.kind}/${d.metadata.name}`),
      ["CustomResourceDefinition/cacheinstances.cache.example.dev", "Namespace/kratix-cache", "ConfigMap/cache-operator"],
    );
    assert.deepEqual(promise.destinationSelectors, [{ environment: "dev" }, { environment: "prod", "kratix-cache": "enabled" }]);
    assert.deepEqual(
      promise.pipelines.map((p) => [p.path, p.name, p.containers.map((c) => c.image)]),
      [
        ["spec.workflows.resource.configure[0]", "instance-configure", ["ghcr.io/example/cache-configure-pipeline:v0.1.0"]],
        ["spec.workflows.resource.delete[0]", "instance-delete", ["ghcr.io/example/cache-delete-pipeline:v0.1.0"]],
      ],
    );
  });

  it("reads required promises with and without a version", () => {
    const promise = parsed(readFileSync(join(fixtures, "app.yaml"), "utf8"));
    assert.deepEqual(promise.requiredPromises, [{ name: "cache", version: "v1.2.0" }, { name: "telemetry" }]);
  });

  it("an empty api is no API, as Kratix reads it", () => {
    assert.equal(parsed(promiseYaml({ api: {} })).api, undefined);
  });

  describe("spec.api is read as an apiextensions.k8s.io/v1 CRD whatever its apiVersion says, as Kratix reads it", () => {
    const { apiVersion: _, ...withoutApiVersion } = crd();
    const apis: [string, unknown][] = [
      ["apiextensions.k8s.io/v1beta1", { ...crd(), apiVersion: "apiextensions.k8s.io/v1beta1" }],
      ["no apiVersion", withoutApiVersion],
      ["another group's", { ...crd(), apiVersion: "example.dev/v1" }],
    ];
    for (const [name, api] of apis) {
      it(name, () => {
        const read = parsed(promiseYaml({ api })).api;
        assert.deepEqual(read && [read.group, read.version, read.kind, read.specField], [
          "example.dev",
          "v1",
          "Cache",
          "declared",
        ]);
      });
    }
  });

  describe("a CRD need not declare a spec, as kube-apiserver accepts it", () => {
    it("a root that keeps unknown fields keeps any spec", () => {
      const api = parsed(promiseYaml({ api: crdWithRoot({ type: "object", "x-kubernetes-preserve-unknown-fields": true }) })).api;
      assert.equal(api?.specField, "preserved");
    });
    it("a root without a spec property takes no spec", () => {
      const api = parsed(promiseYaml({ api: crdWithRoot({ type: "object", properties: { status: { type: "object" } } }) })).api;
      assert.equal(api?.specField, "unknown");
    });
  });

  it("dependencies take the names kube-apiserver takes for their kind: RBAC names are path segments", () => {
    const clusterRole = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "cert-manager-controller-approve:cert-manager-io" },
      rules: [],
    };
    assert.deepEqual(
      parsed(promiseYaml({ dependencies: [clusterRole] })).dependencies.map((d) => d.metadata.name),
      ["cert-manager-controller-approve:cert-manager-io"],
    );
    const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings:v1" } };
    assert.deepEqual(problems(promiseYaml({ dependencies: [configMap] })), [
      `${where}: spec.dependencies[0]: metadata.name "settings:v1" is not a valid ConfigMap name: it must be a DNS subdomain (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters)`,
    ]);
  });

  it("reads the env values and RBAC of a pipeline's containers", () => {
    const operator = {
      ...pipeline("operator"),
      spec: {
        rbac: { permissions: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }] },
        containers: [
          {
            name: "c",
            image: "i:1",
            env: [
              { name: "A", value: "1" },
              { name: "B", valueFrom: {} },
            ],
          },
        ],
      },
    };
    const [read] = parsed(promiseYaml({ api: crd(), workflows: { resource: { configure: [operator] } } })).pipelines;
    assert.deepEqual(read?.containers, [{ name: "c", image: "i:1", env: { A: "1" } }]);
    assert.equal(read?.rbac, true);
  });
});

describe("what a Promise file may not hold", () => {
  const table: { name: string; text: string; problems: string[] }[] = [
    {
      name: "a file that is not YAML",
      text: "spec: [unclosed",
      problems: [
        `${where}: is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 16`,
      ],
    },
    {
      name: "more than one document",
      text: `${promiseYaml()}---\n${promiseYaml()}`,
      problems: [`${where}: holds 2 YAML documents; expected one Kratix Promise`],
    },
    {
      name: "another kind of object",
      text: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
      problems: [`${where}: is v1 ConfigMap; expected a platform.kratix.io/v1alpha1 Promise`],
    },
    {
      name: "a Promise without a name",
      text: promiseYaml({}, { metadata: {} }),
      problems: [`${where}: metadata.name: is required (string)`],
    },
    {
      name: "a field a Promise spec does not have (kubectl validates strictly)",
      text: promiseYaml({ healthChecks: {} }),
      problems: [
        `${where}: spec.healthChecks: is not a known field (known: api, dependencies, destinationSelectors, requiredPromises, workflows)`,
      ],
    },
    {
      name: "matchExpressions in a destination selector",
      text: promiseYaml({ destinationSelectors: [{ matchExpressions: [{ key: "env", operator: "Exists" }] }] }),
      problems: [
        `${where}: spec.destinationSelectors[0].matchExpressions: is not a known field (Kratix selects destinations by matchLabels only)`,
      ],
    },
    {
      name: "a selector value that is no label value",
      text: promiseYaml({ destinationSelectors: [{ matchLabels: { env: "dev prod" } }] }),
      problems: [
        `${where}: spec.destinationSelectors[0].matchLabels.env: label value "dev prod" must be empty or use only letters, digits, "-", "_" and ".", and start and end with a letter or digit`,
      ],
    },
    {
      name: "a dependency that is no Kubernetes object",
      text: promiseYaml({ dependencies: [{ kind: "ConfigMap", metadata: { name: "x" } }] }),
      problems: [`${where}: spec.dependencies[0]: apiVersion is missing`],
    },
    {
      name: "a Promise among the dependencies (a compound promise)",
      text: promiseYaml({
        dependencies: [{ apiVersion: "platform.kratix.io/v1alpha1", kind: "Promise", metadata: { name: "postgres" } }],
      }),
      problems: [
        `${where}: spec.dependencies[0]: is Promise postgres: a compound promise, which Pledge cannot import (import the inner Promise on its own and offer both)`,
      ],
    },
    {
      name: "a required promise without a name",
      text: promiseYaml({ requiredPromises: [{ version: "v1.0.0" }] }),
      problems: [`${where}: spec.requiredPromises[0].name: is required (string)`],
    },
    {
      name: "an API without a group",
      text: promiseYaml({ api: { ...crd(), spec: { ...crd().spec, group: undefined } } }),
      problems: [`${where}: spec.api.spec.group: is required (string)`],
    },
    {
      name: "a workflow that is not a Pipeline (Kratix runs Pipelines only)",
      text: promiseYaml({ workflows: { resource: { configure: [{ apiVersion: "tekton.dev/v1", kind: "Task" }] } } }),
      problems: [
        `${where}: spec.workflows.resource.configure[0]: is tekton.dev/v1 Task; Kratix runs only platform.kratix.io/v1alpha1 Pipeline objects here`,
      ],
    },
    {
      name: "a pipeline field Kratix does not know (it decodes pipelines strictly)",
      text: promiseYaml({ workflows: { promise: { configure: [{ ...pipeline("p", "i:1"), spec: { steps: [] } }] } } }),
      problems: [
        `${where}: spec.workflows.promise.configure[0].spec.steps: is not a known field (known: containers, imagePullSecrets, jobOptions, nodeSelector, rbac, restartPolicy, tolerations, volumes)`,
      ],
    },
    {
      name: "a container without an image",
      text: promiseYaml({
        workflows: { resource: { configure: [{ ...pipeline("p"), spec: { containers: [{ name: "c" }] } }] } },
      }),
      problems: [`${where}: spec.workflows.resource.configure[0].spec.containers[0].image: is required (string)`],
    },
    {
      name: "a workflow trigger Kratix does not have",
      text: promiseYaml({ workflows: { resource: { update: [] } } }),
      problems: [`${where}: spec.workflows.resource.update: is not a known field (known: configure, delete)`],
    },
    {
      name: "every problem at once, in file order",
      text: promiseYaml({ dependencies: "all", destinationSelectors: [{ matchLabels: { env: 1 } }] }),
      problems: [
        `${where}: spec.dependencies: must be a list, got "all"`,
        `${where}: spec.destinationSelectors[0].matchLabels.env: must be a string, got 1`,
      ],
    },
  ];
  for (const c of table) it(c.name, () => assert.deepEqual(problems(c.text), c.problems));

  it("a Promise's status and other metadata are not the import's business", () => {
    assert.deepEqual(problems(promiseYaml({}, { status: {}, metadata: { name: "cache", creationTimestamp: null } })), []);
  });
});
