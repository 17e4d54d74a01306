// importKratixPromise: a Kratix Promise offered like any Pledge promise, and
// precisely what it cannot take. Each rule with the sentences users read:
// request problems at their config key paths, pipelines Pledge does not run
// with the option that would replace them, notices for what is left out.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { specJsonSchema } from "../../../src/crd-schema/crd-schema";
import { importKratixTexts, KratixImportError } from "../../../src/kratix/import";
import { importKratixOffers, type KratixOfferEntry } from "../../../src/kratix/offers";
import { kratixStrictMatchToleration } from "../../../src/kratix/scheduling";
import type { Issue } from "../../../src/issues";
import type { RequestView } from "../../../src/promise/define";
import { importKratixPromise, readKratixOfferFiles, tryImportKratixPromise } from "../../../src/run/kratix-files";
import { crd, crdWithRoot, fixtures, imported, importText, lines, pipeline, promiseYaml, where } from "./helpers";

const cluster = { name: "local-1", labels: { env: "dev" } };
const view = <Spec>(spec: Spec): RequestView<Spec> => ({
  password: (purpose) => `pw-${purpose}`,
  promise: "cache",
  name: "sessions",
  team: "shop",
  namespace: "shop",
  spec,
});
const notices = (promise: { kratix: { notices: readonly { path: string; message: string }[] } }) =>
  promise.kratix.notices.map((n) => `${n.path}: ${n.message}`);
const problems = (text: string, options = {}) => {
  const result = importText(text, options);
  return result.ok ? [] : lines(result.issues);
};
/** The lines of a result that must be a failure. */
function failures(result: { ok: true } | { ok: false; issues: Issue[] }): string[] {
  assert.ok(!result.ok, "expected problems");
  return lines(result.issues);
}
const optionsAt = `importKratixPromise(${JSON.stringify(where)})`;

const scratch = mkdtempSync(join(tmpdir(), "pledge-kratix-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe("workflows: Pledge runs no containers", () => {
  const configure = (...pipelines: unknown[]) => ({ resource: { configure: pipelines } });
  const table: { name: string; spec: Record<string, unknown>; options?: Record<string, unknown>; problems: string[] }[] = [
    {
      name: "a resource pipeline needs a render to replace it",
      spec: { api: crd(), workflows: configure(pipeline("instance-configure", "ghcr.io/acme/cache-pipeline:v1")) },
      problems: [
        `${where}: spec.workflows.resource.configure[0]: pipeline "instance-configure" runs image ghcr.io/acme/cache-pipeline:v1, which Pledge does not run (pass render: (request, cluster) => [...] to importKratixPromise, and placementSelector for what its destination-selectors.yaml chose)`,
      ],
    },
    {
      name: "each pipeline is listed with every image it runs",
      spec: { api: crd(), workflows: configure(pipeline("a", "x:1", "y:2"), pipeline("b", "z:3")) },
      problems: [
        `${where}: spec.workflows.resource.configure[0]: pipeline "a" runs images x:1, then y:2, which Pledge does not run (pass render: (request, cluster) => [...] to importKratixPromise, and placementSelector for what its destination-selectors.yaml chose)`,
        `${where}: spec.workflows.resource.configure[1]: pipeline "b" runs image z:3, which Pledge does not run (pass render: (request, cluster) => [...] to importKratixPromise, and placementSelector for what its destination-selectors.yaml chose)`,
      ],
    },
    {
      name: "a promise pipeline needs dependenciesFrom to replace its output",
      spec: { workflows: { promise: { configure: [pipeline("promise-configure", "ghcr.io/acme/deps:v1")] } } },
      problems: [
        `${where}: spec.workflows.promise.configure[0]: pipeline "promise-configure" runs image ghcr.io/acme/deps:v1, which Pledge does not run; its output is the promise's dependencies (pass dependenciesFrom: "<directory of the YAML files it writes to /kratix/output>")`,
      ],
    },
    {
      name: "kratix-cli's operator stage is not reproduced, but its error says which render would do the same",
      spec: {
        api: crd(),
        workflows: configure({
          ...pipeline("instance-configure"),
          spec: {
            containers: [
              {
                name: "from-api-to-operator",
                image: "ghcr.io/syntasso/kratix-cli/from-api-to-operator:v0.2.2",
                env: [
                  { name: "OPERATOR_GROUP", value: "postgresql.cnpg.io" },
                  { name: "OPERATOR_VERSION", value: "v1" },
                  { name: "OPERATOR_KIND", value: "Cluster" },
                ],
              },
            ],
          },
        }),
      },
      problems: [
        `${where}: spec.workflows.resource.configure[0]: pipeline "instance-configure" runs image ghcr.io/syntasso/kratix-cli/from-api-to-operator:v0.2.2, which Pledge does not run (pass render: (request, cluster) => [...] to importKratixPromise, and placementSelector for what its destination-selectors.yaml chose; ghcr.io/syntasso/kratix-cli/from-api-to-operator writes one postgresql.cnpg.io/v1 Cluster named after the request, with its spec, in namespace default; as a render: (request) => [{ apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: request.name, namespace: request.namespace }, spec: request.spec }])`,
      ],
    },
    {
      name: "a render where there is no resource pipeline to replace",
      spec: { api: crd() },
      options: { render: () => [] },
      problems: [
        `${optionsAt}.render: the promise has no resource.configure pipeline for it to replace (remove render: a Kratix Promise without one renders nothing for a request)`,
      ],
    },
    {
      name: "a placement selector without a render",
      spec: { api: crd() },
      options: { placementSelector: { matchLabels: { zone: "eu" } } },
      problems: [
        `${optionsAt}.placementSelector: is given without render (it stands for the destination-selectors.yaml of the resource pipeline that render replaces)`,
      ],
    },
    {
      name: "dependenciesFrom where there is no promise pipeline",
      spec: {},
      options: { dependenciesFrom: "deps" },
      problems: [
        `${optionsAt}.dependenciesFrom: the promise has no promise.configure pipeline whose output it would replace (put static dependencies in spec.dependencies)`,
      ],
    },
  ];
  for (const c of table) it(c.name, () => assert.deepEqual(problems(promiseYaml(c.spec), c.options), c.problems));

  it("a replaced pipeline, a delete pipeline, pipeline RBAC and workflows.config each get a notice", () => {
    const withRbac = {
      ...pipeline("instance-configure", "x:1"),
      spec: { ...pipeline("", "x:1").spec, rbac: { serviceAccount: "sa" } },
    };
    const promise = imported(
      promiseYaml({
        api: crd(),
        workflows: {
          config: { pipelineNamespace: "jobs" },
          resource: { configure: [withRbac], delete: [pipeline("instance-delete", "y:1")] },
          promise: { delete: [pipeline("promise-delete", "z:1")] },
        },
      }),
      { render: () => [] },
    );
    assert.deepEqual(notices(promise), [
      `${where}: spec.workflows.resource.configure: "instance-configure" (image x:1): replaced by the render option; Pledge runs no pipeline`,
      `${where}: spec.workflows.resource.delete[0]: delete pipeline "instance-delete" (image y:1) is ignored: Pledge deletes only what it applied, and runs nothing when it does`,
      `${where}: spec.workflows.promise.delete[0]: delete pipeline "promise-delete" (image z:1) is ignored: Pledge deletes only what it applied, and runs nothing when it does`,
      `${where}: spec.workflows.resource.configure[0].spec.rbac: is ignored: it grants the pipeline access to the platform cluster, and what replaces the pipeline runs in the Pulumi program`,
      `${where}: spec.workflows.config: pipelineNamespace ignored: Pledge runs no workflow Jobs and re-renders on every update`,
    ]);
  });

  it("an API without a resource pipeline renders nothing for a request, as in Kratix, with a notice", () => {
    const promise = imported(promiseYaml({ api: crd() }));
    assert.deepEqual(promise.render(view({}), cluster), []);
    assert.deepEqual(notices(promise), [
      `${where}: spec.workflows.resource.configure: is empty: requests render nothing, as in Kratix`,
    ]);
  });

  it("importKratixPromise throws every problem of a file at once, under a header naming it", () => {
    const file = join(fixtures, "legacy-db.yaml");
    assert.throws(
      () => importKratixPromise(file, { baseDir: fixtures }),
      (err: unknown) => {
        assert.ok(err instanceof KratixImportError);
        assert.equal(
          err.message.split("\n").slice(0, 2).join("\n"),
          'Kratix Promise legacy-db.yaml cannot be imported (3 problems):\n  - legacy-db.yaml: spec.workflows.resource.configure[0]: pipeline "instance-configure" runs images ghcr.io/example/legacy-db-configure-pipeline:v0.1.0, then ghcr.io/example/slack-notify:v1, which Pledge does not run (pass render: (request, cluster) => [...] to importKratixPromise, and placementSelector for what its destination-selectors.yaml chose)',
        );
        assert.deepEqual(
          err.issues.map((i) => i.path),
          [
            "legacy-db.yaml: spec.workflows.resource.configure[0]",
            "legacy-db.yaml: spec.workflows.resource.configure[1]",
            "legacy-db.yaml: spec.workflows.promise.configure[0]",
          ],
        );
        return true;
      },
    );
  });

  it("with a render and dependenciesFrom the same file imports", () => {
    const promise = importKratixPromise("legacy-db.yaml", {
      baseDir: fixtures,
      render: () => [],
      dependenciesFrom: "legacy-db-dependencies",
    });
    assert.equal(promise.name, "legacy-db");
  });
});

describe("name and version", () => {
  it("the name is metadata.name and the version is the kratix.io/promise-version label without its v", () => {
    const promise = imported(
      promiseYaml({}, { metadata: { name: "cache", labels: { "kratix.io/promise-version": "v1.0.0-beta.5" } } }),
    );
    assert.deepEqual([promise.name, promise.version, promise.kratix.version], ["cache", "1.0.0-beta.5", "v1.0.0-beta.5"]);
  });

  it("options rename it and set another version", () => {
    const promise = imported(promiseYaml(), { name: "cache-v2", version: "2.0.0" });
    assert.deepEqual([promise.name, promise.version, promise.kratix.name], ["cache-v2", "2.0.0", "cache"]);
  });

  it("without a version label it is offered at 0.0.0, with a notice", () => {
    const promise = imported(promiseYaml({}, { metadata: { name: "cache" } }));
    assert.equal(promise.version, "0.0.0");
    assert.deepEqual(notices(promise), [
      `${where}: metadata.labels: has no kratix.io/promise-version label: offered as version 0.0.0 (pass version: to set one)`,
    ]);
  });

  const table: { name: string; root?: Record<string, unknown>; options?: Record<string, unknown>; problems: string[] }[] = [
    {
      name: "a version label that is not semantic",
      root: { metadata: { name: "cache", labels: { "kratix.io/promise-version": "v1" } } },
      problems: [
        `${where}: metadata.labels["kratix.io/promise-version"]: "v1" is not a semantic version (e.g. v1.2.0) (pass version: to import it at another version)`,
      ],
    },
    {
      name: "a Kratix name Pledge cannot name a promise with",
      root: { metadata: { name: "cache.example.com" } },
      options: { version: "1.0.0" },
      problems: [
        `${where}: metadata.name: "cache.example.com" is not a DNS label (lowercase letters, digits and '-', at most 63), which Pledge names promises with (pass name: to import it under another name)`,
      ],
    },
    {
      name: "a version option that is not semantic",
      options: { version: "latest" },
      problems: [`${optionsAt}.version: "latest" is not a semantic version (e.g. 1.2.0)`],
    },
  ];
  for (const c of table) it(c.name, () => assert.deepEqual(problems(promiseYaml({}, c.root), c.options), c.problems));
});

describe("requests are checked against the Promise's CRD", () => {
  const cache = importKratixPromise(join(fixtures, "cache.yaml"), { render: () => [] });
  const check = (spec: unknown) => {
    const result = cache.parseSpec(spec, "pledge:requests[2].spec");
    return result.ok ? result.spec : lines(result.issues);
  };

  const table: { name: string; spec: unknown; result: unknown }[] = [
    {
      name: "a value outside the enum, at the request's key path",
      spec: { region: "eu", size: "huge" },
      result: ['pledge:requests[2].spec.size: "huge" is not one of small, medium, large'],
    },
    { name: "a required field", spec: { size: "small" }, result: ["pledge:requests[2].spec.region: is required (string)"] },
    {
      name: "a field the CRD does not have",
      spec: { region: "eu", sise: "small" },
      result: ["pledge:requests[2].spec.sise: is not a known field (remove it or check its spelling)"],
    },
    {
      name: "a pattern and a bound",
      spec: { region: "EU", replicas: 9 },
      result: [
        "pledge:requests[2].spec.replicas: must be at most 5, got 9",
        'pledge:requests[2].spec.region: "EU" does not match the pattern ^[a-z]{2}$',
      ],
    },
    { name: "defaults are applied", spec: { region: "eu" }, result: { region: "eu", size: "small", replicas: 1 } },
    {
      name: "int-or-string, free-form maps, preserved unknown fields and nullable objects are taken as the server takes them",
      spec: { region: "eu", maxMemory: "1Gi", labels: { a: "b" }, extra: { any: [1] }, tls: null },
      result: { region: "eu", maxMemory: "1Gi", labels: { a: "b" }, extra: { any: [1] }, tls: null, size: "small", replicas: 1 },
    },
    {
      name: "a nested default, where its parent is given",
      spec: { region: "eu", tls: {} },
      result: { region: "eu", tls: { enabled: false }, size: "small", replicas: 1 },
    },
  ];
  for (const c of table) it(c.name, () => assert.deepEqual(check(c.spec), c.result));

  it("CEL rules are listed as not checked, not refused", () => {
    assert.deepEqual(check({ region: "eu", size: "small", replicas: 5 }), { region: "eu", size: "small", replicas: 5 });
    assert.deepEqual(
      notices(cache).filter((n) => n.includes("CEL")),
      [
        `cache.yaml: spec.api: CEL rule on spec, "self.size != 'small' || self.replicas <= 3" ("small caches have at most 3 replicas"), is not checked: Pledge does not evaluate CEL, and no API server ever sees the request itself`.replace(
          "cache.yaml",
          cache.kratix.file,
        ),
      ],
    );
  });

  it("a request without a spec is checked as spec: {}, as for every Pledge promise", () => {
    const promise = imported(
      promiseYaml({ api: crd({ type: "object", properties: { size: { type: "string", default: "small" } } }) }),
    );
    assert.deepEqual(promise.parseSpec(undefined, "spec"), { ok: true, spec: { size: "small" } });
    assert.deepEqual(failures(cache.parseSpec(undefined, "pledge:requests[0].spec")), [
      "pledge:requests[0].spec.region: is required (string)",
    ]);
  });

  describe("a CRD without a spec property: a request is checked as kube-apiserver checks it, an absent spec staying absent", () => {
    const at = "pledge:requests[0].spec";
    const keeps = imported(promiseYaml({ api: crdWithRoot({ type: "object", "x-kubernetes-preserve-unknown-fields": true }) }));
    const declaresNone = imported(
      promiseYaml({ api: crdWithRoot({ type: "object", required: ["status"], properties: { status: { type: "object" } } }) }),
    );
    const table: { name: string; promise: typeof keeps; spec: unknown; result: unknown }[] = [
      {
        name: "a root that keeps unknown fields takes any spec, as written",
        promise: keeps,
        spec: { size: "huge", nested: { list: [1, null] } },
        result: { ok: true, spec: { size: "huge", nested: { list: [1, null] } } },
      },
      { name: "a root that keeps unknown fields takes no spec", promise: keeps, spec: undefined, result: { ok: true, spec: {} } },
      { name: "a root without spec takes no spec", promise: declaresNone, spec: undefined, result: { ok: true, spec: {} } },
      {
        name: "a root without spec refuses a spec, even an empty one, as strict field validation does",
        promise: declaresNone,
        spec: {},
        result: {
          ok: false,
          issues: [{ path: at, message: "is not a known field", hint: "the CRD declares no spec: leave it out" }],
        },
      },
    ];
    for (const c of table) it(c.name, () => assert.deepEqual(c.promise.parseSpec(c.spec, at), c.result));

    it("the JSON Schema for `pledge schema` says so", () => {
      assert.deepEqual(keeps.jsonSchema(), { $schema: "https://json-schema.org/draft/2020-12/schema" });
      assert.deepEqual(declaresNone.jsonSchema(), {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        description: "its CRD declares no spec: leave spec out",
        not: {},
      });
    });
  });

  it("a Promise without an API takes no requests", () => {
    const agent = importKratixPromise(join(fixtures, "node-agent.yaml"));
    assert.deepEqual(failures(agent.parseSpec({}, "pledge:requests[0].spec")), [
      "pledge:requests[0].spec: promise node-agent takes no requests: its Kratix Promise has no spec.api",
    ]);
  });

  it("the JSON Schema for `pledge schema` is the CRD's spec schema", () => {
    const raw = importText(readFileSync(join(fixtures, "cache.yaml"), "utf8"), { render: () => [] });
    assert.ok(raw.ok);
    assert.deepEqual(cache.jsonSchema(), raw.promise.jsonSchema());
    const schema = cache.jsonSchema() as {
      properties: Record<string, unknown>;
      additionalProperties: unknown;
      required: string[];
    };
    assert.deepEqual(Object.keys(schema.properties), ["size", "replicas", "region", "maxMemory", "labels", "extra", "tls"]);
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(schema.required, ["region"]);
    const tiny = { type: "object" as const, properties: { size: { type: "string" as const } } };
    assert.deepEqual(imported(promiseYaml({ api: crd(tiny) })).jsonSchema(), specJsonSchema(tiny));
  });

  it("request() builds a checked request in code, and refuses a wrong one", () => {
    assert.deepEqual(cache.request("sessions", "shop", { region: "eu" }), {
      promise: "cache",
      name: "sessions",
      team: "shop",
      spec: { region: "eu", size: "small", replicas: 1 },
    });
    assert.throws(() => cache.request("sessions", "shop", { region: "eu", size: "huge" }), {
      message: 'cache request sessions: spec.size: "huge" is not one of small, medium, large',
    });
  });
});

describe("dependencies", () => {
  it("spec.dependencies go to every eligible cluster, the same on each", () => {
    const promise = importKratixPromise(join(fixtures, "cache.yaml"), { render: () => [] });
    const on1 = promise.dependencies(cluster);
    assert.deepEqual(
      on1.map((d) => ("kind" in d ? `${d.kind}/${d.metadata.name}` : d.block)),
      ["CustomResourceDefinition/cacheinstances.cache.example.dev", "Namespace/kratix-cache", "ConfigMap/cache-operator"],
    );
    assert.deepEqual(promise.dependencies({ name: "local-2", labels: { env: "prod" } }), on1);
  });

  it("dependenciesFrom adds every YAML file below the directory, in path order, after spec.dependencies", () => {
    const promise = importKratixPromise("legacy-db.yaml", {
      baseDir: fixtures,
      render: () => [],
      dependenciesFrom: "legacy-db-dependencies",
    });
    assert.deepEqual(
      promise.dependencies(cluster).map((d) => ("kind" in d ? `${d.kind}/${d.metadata.name}` : d.block)),
      ["Namespace/legacy-db", "ConfigMap/legacy-db-operator", "ServiceAccount/legacy-db-operator"],
    );
  });

  const dir = (files: Record<string, string>) => {
    const path = mkdtempSync(join(scratch, "deps-"));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(path, name, ".."), { recursive: true });
      writeFileSync(join(path, name), text);
    }
    return path;
  };
  const legacyText = readFileSync(join(fixtures, "legacy-db.yaml"), "utf8");
  const fromDir = (path: string) => {
    writeFileSync(join(path, "..", "legacy-db.yaml"), legacyText);
    const result = tryImportKratixPromise(join(path, "..", "legacy-db.yaml"), {
      render: () => [],
      dependenciesFrom: path,
      baseDir: scratch,
    });
    return result.ok ? [] : lines(result.issues);
  };
  const table: { name: string; files: Record<string, string>; problems: (dir: string) => string[] }[] = [
    {
      name: "a file that is not YAML",
      files: { "a.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n", "main.tf": 'resource "x" "y" {}' },
      problems: (d) => [
        `importKratixPromise("legacy-db.yaml").dependenciesFrom: ${d}/main.tf is not YAML (Pledge applies Kubernetes objects only: move other files out)`,
      ],
    },
    {
      name: "a document that is no Kubernetes object",
      files: { "a.yaml": "kind: Namespace\nmetadata: {name: a}\n" },
      problems: (d) => [
        `importKratixPromise("legacy-db.yaml").dependenciesFrom: ${d}/a.yaml: document 1 (Namespace): apiVersion is missing`,
      ],
    },
    {
      name: "a Promise in the output (a compound promise)",
      files: { "p.yaml": "apiVersion: platform.kratix.io/v1alpha1\nkind: Promise\nmetadata: {name: inner}\n" },
      problems: (d) => [
        `importKratixPromise("legacy-db.yaml").dependenciesFrom: ${d}/p.yaml holds Promise inner: a compound promise, which Pledge cannot import (import the inner Promise on its own and offer both)`,
      ],
    },
    {
      name: "an empty directory",
      files: {},
      problems: (d) => [`importKratixPromise("legacy-db.yaml").dependenciesFrom: ${d} holds no files`],
    },
  ];
  for (const c of table) {
    it(c.name, () => {
      const path = dir(c.files);
      const shown = path.slice(scratch.length + 1);
      assert.deepEqual(fromDir(path), c.problems(shown));
    });
  }

  it("a directory that does not exist", () => {
    const result = tryImportKratixPromise(join(fixtures, "legacy-db.yaml"), {
      baseDir: fixtures,
      render: () => [],
      dependenciesFrom: "no-such-dir",
    });
    assert.ok(!result.ok);
    assert.match(
      lines(result.issues)[0]!,
      /^importKratixPromise\("legacy-db.yaml"\)\.dependenciesFrom: no-such-dir cannot be read: ENOENT/,
    );
  });

  it("a Promise file that does not exist", () => {
    assert.deepEqual(failures(tryImportKratixPromise("nope.yaml", { baseDir: fixtures })), ["nope.yaml: does not exist"]);
  });

  describe("from the texts the run read, without a disk", () => {
    const options = { baseDir: "/project", render: () => [], dependenciesFrom: "deps" };
    const kinds = (result: ReturnType<typeof importKratixTexts>) =>
      result.ok ? result.promise.dependencies(cluster).map((d) => ("kind" in d ? `${d.kind}/${d.metadata.name}` : d.block)) : [];

    it("the dependency files' objects, in the order read, after spec.dependencies", () => {
      const files = [
        { name: "a/ns.yaml", text: "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n" },
        { name: "b.json", text: '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}}' },
      ];
      const result = importKratixTexts("legacy-db.yaml", options, { promise: { text: legacyText }, dependencies: { files } });
      assert.deepEqual(kinds(result), ["Namespace/a", "ConfigMap/b"]);
    });

    it("a dependenciesFrom that is not a directory", () => {
      const result = importKratixTexts("legacy-db.yaml", options, {
        promise: { text: legacyText },
        dependencies: { notADirectory: true },
      });
      assert.deepEqual(failures(result), [`importKratixPromise("legacy-db.yaml").dependenciesFrom: deps is not a directory`]);
    });

    it("a Promise file that cannot be read says why, at the path relative to the base directory", () => {
      const error = { code: "EACCES", message: "EACCES: permission denied, open '/project/kratix/legacy-db.yaml'" };
      const result = importKratixTexts("kratix/legacy-db.yaml", { baseDir: "/project" }, { promise: { error } });
      assert.deepEqual(failures(result), [
        "kratix/legacy-db.yaml: cannot be read: EACCES: permission denied, open '/project/kratix/legacy-db.yaml'",
      ]);
    });

    it("a stack config's Kratix offer, from its texts", () => {
      const texts = new Map([["agent", { promise: { text: readFileSync(join(fixtures, "node-agent.yaml"), "utf8") } }]]);
      const result = importKratixOffers(
        [{ name: "agent", configPath: "pledge:promises.agent", kratix: "node-agent.yaml" }],
        "/project",
        [],
        texts,
      );
      assert.deepEqual(
        [result.promises.map((p) => [p.name, p.kratix.file]), result.issues],
        [[["agent", "node-agent.yaml"]], []],
      );
    });
  });
});

describe("render and placement", () => {
  const text = promiseYaml({
    api: crd(),
    destinationSelectors: [{ matchLabels: { env: "dev" } }],
    workflows: { resource: { configure: [pipeline("instance-configure", "x:1")] } },
  });

  it("the render gets the request with its checked spec and the cluster", () => {
    const seen: unknown[] = [];
    const promise = imported<{ size?: string }>(text, {
      render: (request, on) => {
        seen.push([request.name, request.namespace, request.spec.size, on.name]);
        return [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: request.name, namespace: request.namespace } }];
      },
    });
    const parsed = promise.parseSpec({ size: "small" }, "spec");
    assert.ok(parsed.ok);
    assert.equal(promise.render(view(parsed.spec), cluster).length, 1);
    assert.deepEqual(seen, [["sessions", "shop", "small", "local-1"]]);
  });

  it("a promise with selectors tolerates the strict-match taint; one without does not", () => {
    assert.deepEqual(imported(text, { render: () => [] }).tolerations, [kratixStrictMatchToleration]);
    assert.deepEqual(imported(promiseYaml()).tolerations, []);
  });

  it("a placement selector, from data or from the request, keeps the Promise's keys out", () => {
    const fixed = imported(text, { render: () => [], placementSelector: { matchLabels: { zone: "eu", env: "prod" } } });
    assert.deepEqual(fixed.requestSelector(view({})), { matchLabels: { zone: "eu" } });
    assert.deepEqual(
      notices(fixed).at(-1),
      `${optionsAt}.placementSelector.matchLabels.env: is overridden by the Promise's destinationSelectors (env=dev), as Kratix lets the Promise win`,
    );
    const computed = imported<{ zone?: string }>(text, {
      render: () => [],
      placementSelector: (request) => (request.spec.zone ? { matchLabels: { zone: request.spec.zone } } : undefined),
    });
    assert.deepEqual(computed.requestSelector(view({ zone: "us" })), { matchLabels: { zone: "us" } });
    assert.equal(computed.requestSelector(view({})), undefined);
    assert.equal(imported(text, { render: () => [] }).requestSelector(view({})), undefined);
  });

  it("a placement selector that is no selector", () => {
    assert.deepEqual(problems(text, { render: () => [], placementSelector: { matchLabels: { "a/b/c": "x" } } }), [
      `${optionsAt}.placementSelector: matchLabels: label key "a/b/c" may contain at most one "/" (an optional prefix such as "example.com/" before the name)`,
    ]);
  });
});

describe("Kratix Promises named in stack config", () => {
  const importOffers = (offers: KratixOfferEntry[], catalogueNames: string[]) =>
    importKratixOffers(offers, fixtures, catalogueNames, readKratixOfferFiles(offers, fixtures));

  it("a file name, or a file with plain-data options, imports under the config's key", () => {
    const result = importOffers(
      [
        { name: "agent", configPath: "pledge:promises.agent", kratix: "node-agent.yaml" },
        {
          name: "db",
          configPath: "pledge:promises.db",
          kratix: { file: "legacy-db.yaml", dependenciesFrom: "legacy-db-dependencies" },
        },
        { name: "redis", configPath: "pledge:promises.redis" },
      ],
      ["redis"],
    );
    assert.deepEqual(
      result.promises.map((p) => p.name),
      ["agent"],
    );
    assert.deepEqual(result.failed, ["db"]);
    assert.deepEqual(
      lines(result.issues).map((l) => l.split(" (")[0]),
      [
        'legacy-db.yaml: spec.workflows.resource.configure[0]: pipeline "instance-configure" runs images ghcr.io/example/legacy-db-configure-pipeline:v0.1.0, then ghcr.io/example/slack-notify:v1, which Pledge does not run',
        'legacy-db.yaml: spec.workflows.resource.configure[1]: pipeline "operator" runs image ghcr.io/syntasso/kratix-cli/from-api-to-operator:v0.2.2, which Pledge does not run',
      ],
    );
    assert.ok(
      result.issues.every((i) => i.kind === "config"),
      "the stack config's problems",
    );
  });

  it("a name the catalogue already has", () => {
    const result = importOffers([{ name: "redis", configPath: "pledge:promises.redis", kratix: "node-agent.yaml" }], ["redis"]);
    assert.deepEqual(lines(result.issues), [
      "pledge:promises.redis.kratix: the catalogue already has a promise named redis (offer the Kratix Promise under another name (the key in pledge:promises))",
    ]);
  });

  it("an option that is wrong is reported at its config key", () => {
    const result = importOffers(
      [{ name: "agent", configPath: "pledge:promises.agent", kratix: { file: "node-agent.yaml", version: "one" } }],
      [],
    );
    assert.deepEqual(lines(result.issues), [
      'pledge:promises.agent.kratix.version: "one" is not a semantic version (e.g. 1.2.0)',
    ]);
  });
});
