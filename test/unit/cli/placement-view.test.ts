// What `pledge explain` and `pledge placement` print, from the stack outputs
// the program publishes (built by the same function, from a real placement).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { explainPromiseTable, explainRequestTable, requestsTable } from "../../../src/cli/views/placement-view";
import { placeFleet } from "../../../src/core/placement";
import { buildStackOutputs, stackOutputsOf } from "../../../src/outputs";

const clusters = [
  { name: "eu-1", labels: { region: "eu" }, taints: [] },
  { name: "eu-2", labels: { region: "eu" }, taints: [], capacity: 0 },
  { name: "us-1", labels: { region: "us" }, taints: [] },
];
const placement = placeFleet({
  clusters,
  promises: [
    { name: "redis", selectors: [{ matchLabels: { region: "eu" } }], tolerations: [], requires: [], defaults: { count: 1 } },
  ],
  requests: [{ promise: "redis", name: "cache" }],
  previous: new Map(),
});
// Through JSON, as the engine stores and returns the outputs.
const outputs = stackOutputsOf(
  JSON.parse(
    JSON.stringify(
      buildStackOutputs(
        placement,
        clusters.map((c) => c.name),
      ),
    ),
  ),
);

describe("pledge explain", () => {
  it("shows every cluster's verdict on a request, spare ones included", () => {
    const text = explainRequestTable(outputs, "redis/cache");
    assert.match(text, /^redis\/cache: placed on eu-1 \(1\/1\)\n/);
    assert.match(text, /eu-1\s+│ chosen/);
    assert.match(text, /eu-2\s+│ rejected │ full \(0\/0 requests\)/);
    assert.match(text, /us-1\s+│ rejected │ promise selector: region=eu but is "us"/);
  });

  it("with --promise shows where the promise's dependencies go and why not elsewhere", () => {
    const text = explainPromiseTable(outputs, "redis");
    assert.match(text, /^promise redis: eligible on eu-1, eu-2 \(2\/3 clusters\); 1 did not match region=eu\.\n/);
    assert.match(text, /us-1\s+│ rejected │ promise selector: region=eu but is "us"/);
  });

  it("names what it knows when asked for something else", () => {
    assert.throws(() => explainRequestTable(outputs, "redis/nope"), /no request "redis\/nope"; known: redis\/cache/);
    assert.throws(() => explainPromiseTable(outputs, "postgres"), /no promise "postgres" on this stack; offered: redis/);
  });
});

describe("pledge placement", () => {
  it("lists each request with its clusters and why", () => {
    assert.match(requestsTable(outputs), /redis\/cache\s+│ placed\s+│ eu-1\s+│ placed on eu-1 \(1\/1\)/);
  });

  it("a stack without Pledge's outputs says to run pledge up", () => {
    assert.throws(
      () => stackOutputsOf({}),
      /the stack has no Pledge outputs \(missing placements, requests, promises, explanations, clusters, unplaced\): run `pledge up` first/,
    );
  });
});
