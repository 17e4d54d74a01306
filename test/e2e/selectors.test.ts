// Differential check of Pledge's label selectors against a real kube-apiserver:
// objects with random labels, random selectors, and the API server's own
// label selection must agree with matchesSelector on every one.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { formatSelector, matchesSelector } from "../../src/labels/selectors";
import type { Labels } from "../../src/labels/labels";
import type { KubeConfig } from "@kubernetes/client-node";
import { kubeRequest } from "../../dev/local/kube-api";
import { anyVocabulary, fleetVocabulary, labelsArb, selectorArb } from "../unit/core/arbitraries";
import { connectionOf, ensureTestFleet, uniqueName } from "./harness";

// Fixed seeds: a failure is reproducible; change them to explore further.
const objectsSeed = 20261123;
const selectorsSeed = 424242;

describe("label selectors agree with a real kube-apiserver", { timeout: 10 * 60_000 }, () => {
  let conn: KubeConfig;
  const namespace = uniqueName("selectors");
  const objects = new Map<string, Labels>();

  before(async () => {
    const [cluster] = await ensureTestFleet(1);
    conn = connectionOf(cluster!);
    const created = await kubeRequest(conn, "POST", "/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: namespace },
    });
    assert.equal(created.status, 201);
    const labelSets = [
      ...fc.sample(labelsArb(fleetVocabulary, 4), { seed: objectsSeed, numRuns: 40 }),
      ...fc.sample(labelsArb(anyVocabulary, 3), { seed: objectsSeed + 1, numRuns: 20 }),
    ];
    for (const [i, labels] of labelSets.entries()) {
      const name = `cm-${i}`;
      const res = await kubeRequest(conn, "POST", `/api/v1/namespaces/${namespace}/configmaps`, {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, labels },
      });
      assert.equal(res.status, 201, `creating ${name} with ${JSON.stringify(labels)}: ${JSON.stringify(res.body)}`);
      objects.set(name, labels);
    }
  });

  after(async () => {
    if (conn) await kubeRequest(conn, "DELETE", `/api/v1/namespaces/${namespace}`).catch(() => {});
  });

  async function serverSelection(selector: string): Promise<string[]> {
    const res = await kubeRequest(
      conn,
      "GET",
      `/api/v1/namespaces/${namespace}/configmaps?labelSelector=${encodeURIComponent(selector)}`,
    );
    assert.equal(res.status, 200, `selector ${JSON.stringify(selector)} rejected by the API server: ${JSON.stringify(res.body)}`);
    // Only our objects: the controller manager adds kube-root-ca.crt to every namespace.
    return res.body.items
      .map((item: { metadata: { name: string } }) => item.metadata.name)
      .filter((n: string) => objects.has(n))
      .sort();
  }

  function ourSelection(selector: Parameters<typeof matchesSelector>[1]): string[] {
    return [...objects]
      .filter(([, labels]) => matchesSelector(labels, selector))
      .map(([name]) => name)
      .sort();
  }

  for (const [vocabulary, label, seed, runs] of [
    [fleetVocabulary, "a small vocabulary (many matches)", selectorsSeed, 150],
    [anyVocabulary, "arbitrary keys and values", selectorsSeed + 1, 50],
  ] as const) {
    it(`on ${runs} random selectors over ${label}`, async () => {
      const selectors = fc.sample(selectorArb(vocabulary), { seed, numRuns: runs });
      let matchedSomething = 0;
      for (const selector of selectors) {
        const text = formatSelector(selector);
        const expected = await serverSelection(text);
        assert.deepEqual(ourSelection(selector), expected, `selector ${JSON.stringify(selector)} (${JSON.stringify(text)})`);
        if (expected.length > 0 && expected.length < objects.size) matchedSomething++;
      }
      // Guard against a vacuous comparison: some selectors must split the objects.
      if (vocabulary === fleetVocabulary)
        assert.ok(matchedSomething > runs / 4, `only ${matchedSomething} selectors split the objects`);
    });
  }
});
