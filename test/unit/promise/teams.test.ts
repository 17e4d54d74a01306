// Team tenancy: what a declared team gets on each cluster it uses (namespace,
// RBAC, quota, container defaults, default-deny network policy), the passwords
// promises derive for requests, and the config's rules that keep a team to its
// clusters, down to the render plan that applies a team's environment before
// anything of its requests.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import type { RawStackConfig, TeamEntry } from "../../../src/config/parse";
import { parseStackConfig } from "../../../src/config/parse";
import { placeFleet } from "../../../src/core/placement";
import { formatIssue, type Issue } from "../../../src/issues";
import { matchesSelector } from "../../../src/labels/selectors";
import { definePromise } from "../../../src/promise/define";
import type { Manifest } from "../../../src/promise/manifest";
import { derivePassword, SecretSeedMissing } from "../../../src/promise/passwords";
import { planObjects } from "../../../src/promise/plan";
import { buildStackModel, placementFacts, type StackModel } from "../../../src/promise/stack-model";
import { teamEnvironment } from "../../../src/promise/team-environment";

function team(fields: Partial<TeamEntry> = {}): TeamEntry {
  return {
    name: "shop",
    users: ["ann"],
    groups: ["shop-devs"],
    defaults: { cpu: "100m", memory: "128Mi" },
    isolated: true,
    configPath: "pledge:teams[0]",
    ...fields,
  };
}

const byKind = (objects: Manifest[], kind: string) => objects.find((o) => o.kind === kind);

describe("teamEnvironment", () => {
  it("a team the stack does not declare gets its namespace only, labelled with the team", () => {
    assert.deepEqual(teamEnvironment("shop", undefined), [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop", labels: { "pledge.dev/team": "shop" } } },
    ]);
  });

  it("a declared team gets its namespace first, then the rest inside it, all labelled with the team", () => {
    const objects = teamEnvironment("shop", team({ quota: { pods: 10, objects: {} } }));
    assert.deepEqual(
      objects.map((o) => [o.kind, o.metadata.namespace, o.metadata.name]),
      [
        ["Namespace", undefined, "shop"],
        ["RoleBinding", "shop", "pledge-team"],
        ["ResourceQuota", "shop", "pledge-team"],
        ["LimitRange", "shop", "pledge-team-defaults"],
        ["NetworkPolicy", "shop", "pledge-default-deny"],
      ],
    );
    for (const o of objects) assert.deepEqual(o.metadata.labels, { "pledge.dev/team": "shop" }, o.kind);
  });

  it("binds the team's users and groups to the built-in edit role in its namespace, nothing cluster-wide", () => {
    const binding = byKind(teamEnvironment("shop", team({ users: ["ann", "bob"], groups: ["shop-devs"] })), "RoleBinding")!;
    assert.equal(binding.apiVersion, "rbac.authorization.k8s.io/v1");
    assert.deepEqual(binding.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" });
    assert.deepEqual(binding.subjects, [
      { apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "ann" },
      { apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "bob" },
      { apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "shop-devs" },
    ]);
    assert.equal(
      teamEnvironment("shop", team()).some((o) => o.kind === "ClusterRoleBinding"),
      false,
    );
  });

  it("turns the quota into a ResourceQuota's hard limits, as strings", () => {
    const quota = byKind(
      teamEnvironment(
        "shop",
        team({ quota: { cpu: 4, memory: "8Gi", pods: 20, objects: { services: 10, persistentvolumeclaims: 5 } } }),
      ),
      "ResourceQuota",
    )!;
    assert.deepEqual(quota.spec, {
      hard: {
        "requests.cpu": "4",
        "requests.memory": "8Gi",
        pods: "20",
        "count/services": "10",
        "count/persistentvolumeclaims": "5",
      },
    });
  });

  it("leaves out what the quota does not limit", () => {
    const quota = byKind(teamEnvironment("shop", team({ quota: { memory: "1Gi", objects: {} } })), "ResourceQuota")!;
    assert.deepEqual(quota.spec, { hard: { "requests.memory": "1Gi" } });
  });

  it("has no ResourceQuota when the team has no quota", () => {
    assert.equal(byKind(teamEnvironment("shop", team()), "ResourceQuota"), undefined);
  });

  it("gives containers default requests (no default limit, which would refuse a bigger request), so a quota never refuses a pod for naming none", () => {
    const limits = byKind(teamEnvironment("shop", team({ defaults: { cpu: 0.5, memory: "256Mi" } })), "LimitRange")!;
    assert.deepEqual(limits.spec, {
      limits: [{ type: "Container", defaultRequest: { cpu: "0.5", memory: "256Mi" } }],
    });
  });

  it("denies traffic from and to other namespaces when isolated, DNS aside", () => {
    const policy = byKind(teamEnvironment("shop", team({ isolated: true })), "NetworkPolicy")!;
    const spec = policy.spec as {
      podSelector: object;
      policyTypes: string[];
      ingress: unknown[];
      egress: { to: unknown[]; ports?: { protocol: string; port: number }[] }[];
    };
    assert.deepEqual(spec.podSelector, {});
    assert.deepEqual(spec.policyTypes, ["Ingress", "Egress"]);
    assert.deepEqual(spec.ingress, [{ from: [{ podSelector: {} }] }]);
    assert.deepEqual(spec.egress[0], { to: [{ podSelector: {} }] });
    assert.deepEqual(
      spec.egress[1]!.ports?.map((p) => `${p.protocol}/${p.port}`),
      ["UDP/53", "TCP/53"],
    );
  });

  it("has no NetworkPolicy when not isolated", () => {
    assert.equal(byKind(teamEnvironment("shop", team({ isolated: false })), "NetworkPolicy"), undefined);
  });
});

describe("derivePassword", () => {
  const seed = "c2VlZCBvZiB0aGUgc3RhY2s=";

  it("is the same for the same seed, request and purpose", () => {
    assert.equal(derivePassword(seed, "postgres/orders", "admin"), derivePassword(seed, "postgres/orders", "admin"));
  });

  it("differs by seed, by request and by purpose", () => {
    const base = derivePassword(seed, "postgres/orders", "admin");
    assert.notEqual(derivePassword("another seed", "postgres/orders", "admin"), base);
    assert.notEqual(derivePassword(seed, "postgres/billing", "admin"), base);
    assert.notEqual(derivePassword(seed, "postgres/orders", "replication"), base);
    // The key and the purpose are kept apart: moving a character from one to the other is another password.
    assert.notEqual(derivePassword(seed, "a/b", "cd"), derivePassword(seed, "a/bc", "d"));
  });

  it("is 32 letters and digits", () => {
    for (let i = 0; i < 200; i++) {
      const password = derivePassword(`seed-${i}`, `redis/r${i}`, "default");
      assert.match(password, /^[A-Za-z0-9]{32}$/, password);
    }
  });

  it("without a seed, throws SecretSeedMissing with how to set one", () => {
    for (const missing of [undefined, ""]) {
      assert.throws(
        () => derivePassword(missing, "redis/cache", "default"),
        (err: unknown) =>
          err instanceof SecretSeedMissing &&
          err.message === "is not set, and a promise generates a password" &&
          err.hint.includes("pulumi config set --secret pledge:secretSeed"),
      );
    }
  });
});

// A promise that renders a Deployment and a Secret with a derived password, and tells the team where it runs.
const cache = definePromise({
  name: "cache",
  version: "1.0.0",
  description: "a cache",
  schema: z.object({ size: z.enum(["small", "large"]).default("small") }).strict(),
  render: (request) => [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      // A render's own pledge.dev/ label is overruled by Pledge's.
      metadata: { name: request.name, namespace: request.namespace, labels: { app: request.name, "pledge.dev/request": "x" } },
    },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: `${request.name}-auth`, namespace: request.namespace },
      stringData: { password: request.password("default") },
    },
  ],
  outputs: (request, cluster) => ({
    host: `${request.name}.${request.namespace}.svc`,
    port: 6379,
    cluster: cluster.name,
    size: request.spec.size,
  }),
});

const clusters = [
  { name: "dev-1", source: "local", labels: { env: "dev" } },
  { name: "dev-2", source: "local", labels: { env: "dev" } },
  { name: "prod-1", source: "local", labels: { env: "prod" } },
];
const teams = [
  {
    name: "shop",
    groups: ["shop-devs"],
    clusters: { matchLabels: { env: "dev" } },
    quota: { cpu: "2", pods: 10 },
  },
  { name: "data", users: ["ann"], isolated: false },
];

function rawConfig(requests: unknown[], extra: Partial<RawStackConfig> = {}): RawStackConfig {
  return { clusters, promises: { cache: {} }, teams, requests, ...extra };
}

function issuesOf(raw: RawStackConfig): Issue[] {
  const result = buildStackModel(raw, [cache]);
  assert.equal(result.ok, false, "expected the config to be rejected");
  return result.ok ? [] : result.issues;
}

function modelOf(raw: RawStackConfig): StackModel {
  const result = buildStackModel(raw, [cache]);
  if (!result.ok) assert.fail(`unexpected issues:\n${result.issues.map(formatIssue).join("\n")}`);
  return result.model;
}

describe("pledge:teams in the config", () => {
  it("parses each team with its defaults and where it was declared", () => {
    const { config, issues } = parseStackConfig(rawConfig([]));
    assert.deepEqual(issues, []);
    assert.deepEqual(config.teams, [
      {
        name: "shop",
        users: [],
        groups: ["shop-devs"],
        clusters: { matchLabels: { env: "dev" } },
        quota: { cpu: "2", pods: 10, objects: {} },
        defaults: { cpu: "100m", memory: "128Mi" },
        isolated: true,
        configPath: "pledge:teams[0]",
      },
      {
        name: "data",
        users: ["ann"],
        groups: [],
        defaults: { cpu: "100m", memory: "128Mi" },
        isolated: false,
        configPath: "pledge:teams[1]",
      },
    ]);
  });

  it("without pledge:teams there are no teams, and no tenancy", () => {
    assert.equal(parseStackConfig({ clusters }).config.teams, undefined);
  });

  it("a team nobody could use, a reserved name and a duplicate are each reported", () => {
    const { issues } = parseStackConfig({
      clusters,
      teams: [{ name: "shop" }, { name: "kube-system", users: ["x"] }, { name: "shop", users: ["y"] }],
    });
    assert.deepEqual(
      issues.map((i) => `${i.path}: ${i.message}`),
      [
        "pledge:teams[0]: names no users and no groups: nobody could use the team's namespace",
        'pledge:teams[1].name: "kube-system" is reserved (default, kube-*, pledge-* belong to Kubernetes and to promises)',
        'pledge:teams[2].name: duplicate team "shop"',
      ],
    );
  });
});

describe("a team kept to its clusters", () => {
  it("a request of an unknown team is an issue at its team, with a did-you-mean when close", () => {
    assert.deepEqual(issuesOf(rawConfig([{ promise: "cache", name: "web", team: "shp" }])), [
      { path: "pledge:requests[0].team", message: 'unknown team "shp"', hint: "did you mean shop? teams: shop, data" },
    ]);
  });

  it("an unknown team far from any declared one names the teams there are", () => {
    assert.deepEqual(issuesOf(rawConfig([{ promise: "cache", name: "web", team: "marketing" }])).map(formatIssue), [
      'pledge:requests[0].team: unknown team "marketing" (teams: shop, data (or declare it under pledge:teams))',
    ]);
  });

  it("with pledge:teams empty, every team is unknown and must be declared", () => {
    assert.deepEqual(issuesOf(rawConfig([{ promise: "cache", name: "web", team: "shop" }], { teams: [] })).map(formatIssue), [
      'pledge:requests[0].team: unknown team "shop" (declare it under pledge:teams)',
    ]);
  });

  it("a request of a team in a request file is checked the same, at the file's path", () => {
    const issues = issuesOf({
      clusters,
      promises: { cache: {} },
      teams,
      requestFiles: [{ file: "requests/shap.yaml", content: { requests: [{ promise: "cache", name: "web" }] } }],
    });
    assert.deepEqual(
      issues.map((i) => [i.path, i.message]),
      [["requests/shap.yaml: requests[0].team", 'unknown team "shap"']],
    );
  });

  it("a pin to a cluster outside the team's clusters is an issue at that pin, naming the clusters it may use", () => {
    assert.deepEqual(issuesOf(rawConfig([{ promise: "cache", name: "web", team: "shop", pin: ["dev-1", "prod-1"] }])), [
      {
        path: "pledge:requests[0].pin[1]",
        message: "cluster prod-1 is not one of team shop's clusters",
        hint: "shop may use dev-1, dev-2 (pledge:teams shop.clusters)",
      },
    ]);
  });

  it("a pin outside the team's clusters is reported once, at the pin, not again at the request's selector", () => {
    assert.deepEqual(
      issuesOf(
        rawConfig([{ promise: "cache", name: "web", team: "shop", pin: ["prod-1"], selector: { matchLabels: { env: "prod" } } }]),
      ).map((i) => i.path),
      ["pledge:requests[0].pin[0]"],
    );
  });

  it("a pin to an unknown cluster is reported as unknown, not as another team's", () => {
    assert.deepEqual(
      issuesOf(rawConfig([{ promise: "cache", name: "web", team: "shop", pin: ["dev-3"] }])).map((i) => [i.path, i.message]),
      [["pledge:requests[0].pin[0]", 'unknown cluster "dev-3"']],
    );
  });

  it("a selector that matches only clusters the team may not use is an issue at the selector", () => {
    assert.deepEqual(
      issuesOf(rawConfig([{ promise: "cache", name: "web", team: "shop", selector: { matchLabels: { env: "prod" } } }])),
      [
        {
          path: "pledge:requests[0].selector",
          message: "matches only clusters team shop may not use (prod-1)",
          hint: "shop may use dev-1, dev-2 (pledge:teams shop.clusters)",
        },
      ],
    );
  });

  it("a selector that also matches allowed clusters is narrowed to them", () => {
    const model = modelOf(
      rawConfig([
        {
          promise: "cache",
          name: "web",
          team: "shop",
          selector: { matchExpressions: [{ key: "env", operator: "Exists" }] },
          count: 3,
        },
      ]),
    );
    const placement = placeFleet({ ...placementFacts(model), previous: new Map() });
    assert.deepEqual(placement.requests[0]!.clusters.sort(), ["dev-1", "dev-2"]);
  });

  it("a request without a selector gets the team's clusters as its selector, and lands only there", () => {
    const model = modelOf(rawConfig([{ promise: "cache", name: "web", team: "shop", count: 3 }]));
    const selector = model.requests[0]!.selector;
    assert.ok(selector, "the request has no selector");
    const matching = model.clusters.filter((c) => matchesSelector(c.labels, selector)).map((c) => c.name);
    assert.deepEqual(matching, ["dev-1", "dev-2"]);
    const placement = placeFleet({ ...placementFacts(model), previous: new Map() });
    const web = placement.requests[0]!;
    assert.deepEqual([...web.clusters].sort(), ["dev-1", "dev-2"]);
    assert.equal(web.status, "partial", "three wanted, only two allowed");
  });

  it("a team without clusters may use every cluster", () => {
    const model = modelOf(rawConfig([{ promise: "cache", name: "etl", team: "data", pin: ["prod-1"] }]));
    assert.equal(model.requests[0]!.selector, undefined);
  });

  it("a team whose clusters match no cluster is an issue at its clusters", () => {
    const issues = issuesOf(
      rawConfig([], { teams: [{ name: "shop", groups: ["g"], clusters: { matchLabels: { env: "staging" } } }] }),
    );
    assert.deepEqual(issues, [
      { path: "pledge:teams[0].clusters", message: "matches no cluster", hint: "clusters have env: dev, prod" },
    ]);
  });

  it("without pledge:teams any team is accepted, and its requests may go anywhere", () => {
    const model = modelOf(
      rawConfig(
        [
          { promise: "cache", name: "web", team: "anyone", pin: ["prod-1"] },
          { promise: "cache", name: "api", team: "someone-else" },
        ],
        { teams: undefined },
      ),
    );
    assert.equal(model.teams, undefined);
    assert.deepEqual(
      model.requests.map((r) => [r.team, r.namespace, r.selector]),
      [
        ["anyone", "anyone", undefined],
        ["someone-else", "someone-else", undefined],
      ],
    );
  });
});

describe("the render plan with teams", () => {
  const seed = "plan-seed";
  const model = modelOf(
    rawConfig([
      { promise: "cache", name: "web", team: "shop", count: 2, spec: { size: "large" } },
      { promise: "cache", name: "api", team: "shop", pin: ["dev-1"] },
      { promise: "cache", name: "etl", team: "data", pin: ["prod-1"] },
    ]),
  );
  const placement = placeFleet({ ...placementFacts(model), previous: new Map() });
  const { plan, issues } = planObjects({
    clusters: model.clusters,
    promises: model.promises,
    requests: model.requests,
    placement,
    teams: model.teams,
    secretSeed: seed,
  });
  const names = plan.objects.map((o) => o.resourceName);
  const object = (name: string) => {
    const found = plan.objects.find((o) => o.resourceName === name);
    assert.ok(found, `no ${name} in the plan:\n${names.join("\n")}`);
    return found;
  };
  const shopEnvironment = (cluster: string) => [
    `${cluster}/Namespace/shop`,
    `${cluster}/RoleBinding/shop/pledge-team`,
    `${cluster}/ResourceQuota/shop/pledge-team`,
    `${cluster}/LimitRange/shop/pledge-team-defaults`,
    `${cluster}/NetworkPolicy/shop/pledge-default-deny`,
  ];

  it("plans without issues", () => {
    assert.deepEqual(issues, []);
    assert.deepEqual(
      placement.requests.map((r) => [r.key, [...r.clusters].sort()]),
      [
        ["cache/api", ["dev-1"]],
        ["cache/etl", ["prod-1"]],
        ["cache/web", ["dev-1", "dev-2"]],
      ],
    );
  });

  it("plans a team's environment once on each cluster its requests use, and nowhere else", () => {
    const environments = plan.objects.filter((o) => o.owner.kind === "team").map((o) => o.resourceName);
    assert.deepEqual(
      environments.sort(),
      [
        ...shopEnvironment("dev-1"),
        ...shopEnvironment("dev-2"),
        "prod-1/LimitRange/data/pledge-team-defaults",
        "prod-1/Namespace/data",
        "prod-1/RoleBinding/data/pledge-team",
      ].sort(),
    );
    for (const o of plan.objects.filter((p) => p.owner.kind === "team"))
      assert.deepEqual(o.owner, { kind: "team", team: o.resourceName.includes("/data") ? "data" : "shop" });
  });

  it("plans the environment before the request's objects, which wait for all of it", () => {
    for (const [request, cluster] of [
      ["cache/web", "dev-1"],
      ["cache/web", "dev-2"],
      ["cache/api", "dev-1"],
    ] as const) {
      for (const kind of ["Deployment", "Secret"]) {
        const name = `${request}@${cluster}/${kind}/shop/${request.split("/")[1]}${kind === "Secret" ? "-auth" : ""}`;
        const o = object(name);
        for (const env of shopEnvironment(cluster)) {
          assert.ok(o.dependsOn.includes(env), `${name} does not wait for ${env}`);
          assert.ok(names.indexOf(env) < names.indexOf(name), `${env} is planned after ${name}`);
        }
        assert.ok(
          !o.dependsOn.some((d) => !d.startsWith(`${cluster}/`) && !d.startsWith(`cache@${cluster}/`)),
          o.dependsOn.join(", "),
        );
      }
    }
    // Within the environment, the namespace first.
    assert.deepEqual(object("dev-1/RoleBinding/shop/pledge-team").dependsOn, ["dev-1/Namespace/shop"]);
    assert.deepEqual(object("dev-1/Namespace/shop").dependsOn, []);
  });

  it("labels the request's manifests with its team, promise and request, over the render's own labels", () => {
    const deployment = object("cache/web@dev-2/Deployment/shop/web").content as Manifest;
    assert.deepEqual(deployment.metadata.labels, {
      app: "web",
      "pledge.dev/team": "shop",
      "pledge.dev/promise": "cache",
      "pledge.dev/request": "web",
    });
    const secret = object("cache/etl@prod-1/Secret/data/etl-auth").content as Manifest;
    assert.deepEqual(secret.metadata.labels, {
      "pledge.dev/team": "data",
      "pledge.dev/promise": "cache",
      "pledge.dev/request": "etl",
    });
  });

  it("gives the render the request's derived password", () => {
    const secret = object("cache/web@dev-1/Secret/shop/web-auth").content as Manifest & { stringData: { password: string } };
    assert.equal(secret.stringData.password, derivePassword(seed, "cache/web", "default"));
    const other = object("cache/api@dev-1/Secret/shop/api-auth").content as Manifest & { stringData: { password: string } };
    assert.notEqual(other.stringData.password, secret.stringData.password);
  });

  it("holds the promise's declared outputs per request, per cluster it landed on", () => {
    assert.deepEqual([...plan.outputs.keys()].sort(), ["cache/api", "cache/etl", "cache/web"]);
    assert.deepEqual(plan.outputs.get("cache/web"), {
      "dev-1": { host: "web.shop.svc", port: 6379, cluster: "dev-1", size: "large" },
      "dev-2": { host: "web.shop.svc", port: 6379, cluster: "dev-2", size: "large" },
    });
    assert.deepEqual(plan.outputs.get("cache/etl"), {
      "prod-1": { host: "etl.data.svc", port: 6379, cluster: "prod-1", size: "small" },
    });
  });

  it("without the stack's seed, a render that needs a password is the config's issue at pledge:secretSeed", () => {
    const { issues: unseeded } = planObjects({
      clusters: model.clusters,
      promises: model.promises,
      requests: model.requests,
      placement,
      teams: model.teams,
    });
    assert.ok(unseeded.length > 0);
    for (const issue of unseeded) {
      assert.equal(issue.path, "pledge:secretSeed");
      assert.equal(issue.kind, undefined);
    }
  });
});
