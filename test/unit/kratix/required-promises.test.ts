// spec.requiredPromises, checked for the whole stack: each required promise
// offered, at exactly the version asked for (v1.2.0 and 1.2.0 being one).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { buildStackModelWithKratix } from "../../../src/kratix/offers";
import { kratixRequirementIssues, requiredPromiseIssues, type OfferedVersion } from "../../../src/kratix/required-promises";
import { z } from "zod";
import { definePromise } from "../../../src/promise/define";
import { readKratixFiles } from "../../../src/run/kratix-files";
import { fixtures, imported, lines } from "./helpers";

const app = (requiredPromises: OfferedVersion["requiredPromises"]): OfferedVersion => ({
  name: "app",
  version: "0.3.0",
  requiredPromises,
});

describe("required promises", () => {
  const table: { name: string; offered: OfferedVersion[]; problems: string[] }[] = [
    {
      name: "a required promise the stack offers at the version asked for is fine",
      offered: [app([{ name: "cache", version: "v1.2.0" }]), { name: "cache", version: "1.2.0" }],
      problems: [],
    },
    {
      name: "without a version, any version will do",
      offered: [app([{ name: "telemetry" }]), { name: "telemetry", version: "0.0.1" }],
      problems: [],
    },
    {
      name: "a required promise the stack does not offer",
      offered: [app([{ name: "cache", version: "v1.2.0" }])],
      problems: [
        "pledge:promises.app: requires promise cache at version v1.2.0 (Kratix requiredPromises), which this stack does not offer (add cache: {} to pledge:promises)",
      ],
    },
    {
      name: "a required promise offered at another version",
      offered: [app([{ name: "cache", version: "v1.2.0" }]), { name: "cache", version: "1.1.0" }],
      problems: [
        "pledge:promises.app: requires promise cache at version v1.2.0 (Kratix requiredPromises); this stack offers cache 1.1.0 (offer cache 1.2.0, or change the version in requiredPromises)",
      ],
    },
    {
      name: "versions are compared exactly, as Kratix finds a PromiseRevision (no ranges)",
      offered: [app([{ name: "cache", version: "v1.2" }]), { name: "cache", version: "1.2.0" }],
      problems: [
        "pledge:promises.app: requires promise cache at version v1.2 (Kratix requiredPromises); this stack offers cache 1.2.0 (offer cache 1.2, or change the version in requiredPromises)",
      ],
    },
    {
      name: "every missing requirement is listed",
      offered: [app([{ name: "cache" }, { name: "telemetry" }])],
      problems: [
        "pledge:promises.app: requires promise cache (Kratix requiredPromises), which this stack does not offer (add cache: {} to pledge:promises)",
        "pledge:promises.app: requires promise telemetry (Kratix requiredPromises), which this stack does not offer (add telemetry: {} to pledge:promises)",
      ],
    },
  ];
  for (const c of table) it(c.name, () => assert.deepEqual(lines(requiredPromiseIssues(c.offered)), c.problems));

  it("checks imported promises against Pledge's own promises and imported ones alike", () => {
    const appPromise = imported(readFileSync(join(fixtures, "app.yaml"), "utf8"));
    const cache = imported(readFileSync(join(fixtures, "cache.yaml"), "utf8"), { render: () => [] });
    const telemetry = definePromise({
      name: "telemetry",
      version: "2.0.0",
      description: "",
      schema: z.object({}),
      render: () => [],
    });
    assert.deepEqual(lines(kratixRequirementIssues([appPromise, cache, telemetry])), []);
    assert.deepEqual(lines(kratixRequirementIssues([appPromise, telemetry])), [
      "pledge:promises.app: requires promise cache at version v1.2.0 (Kratix requiredPromises), which this stack does not offer (add cache: {} to pledge:promises)",
    ]);
  });

  it("the stack model checks them after the catalogue's own requires, for a stack config's Kratix offers", () => {
    const web = definePromise({
      name: "web",
      version: "1.0.0",
      description: "",
      schema: z.object({}),
      requires: ["db"],
      render: () => [],
    });
    const raw = {
      clusters: [{ name: "dev-1", source: "local", labels: { env: "dev" } }],
      promises: { app: { kratix: "app.yaml" }, web: {} },
    };
    const { result } = buildStackModelWithKratix(raw, fixtures, [web], readKratixFiles(raw, fixtures));
    assert.deepEqual(lines(result.ok ? [] : result.issues), [
      "pledge:promises.web: requires promise db, which this stack does not offer (add db: {} to pledge:promises)",
      "pledge:promises.app: requires promise cache at version v1.2.0 (Kratix requiredPromises), which this stack does not offer (add cache: {} to pledge:promises)",
      "pledge:promises.app: requires promise telemetry (Kratix requiredPromises), which this stack does not offer (add telemetry: {} to pledge:promises)",
    ]);
  });

  it("are not Pledge's per-cluster requires: the promise is eligible wherever its own rules allow", () => {
    assert.deepEqual(imported(readFileSync(join(fixtures, "app.yaml"), "utf8")).requires, []);
  });
});
