// `pledge cordon` / `uncordon`: plain stack config underneath, the file's layout kept.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { editClusterTaints, withCordon, withoutCordon } from "../../../src/cli/stack/cluster-taints";

const devStack = `# The dev stack
config:
  pledge:clusters:
    - name: local-1
      source: local
      labels: {env: dev}
    - name: local-3
      source: local
      # GPUs only
      taints:
        - {key: gpu, value: "true", effect: NoSchedule}
  pledge:promises:
    redis: {}
`;

const clustersOf = (text: string) => parse(text).config["pledge:clusters"];

describe("cordon in stack config", () => {
  it("adds a NoSchedule taint to the cluster, keeping the file's comments and other clusters", () => {
    const edited = editClusterTaints(devStack, "local-1", (t) => withCordon(t, "maintenance"));
    assert.deepEqual(clustersOf(edited.text)[0].taints, [{ key: "maintenance", effect: "NoSchedule" }]);
    assert.deepEqual(clustersOf(edited.text)[1], clustersOf(devStack)[1]);
    assert.match(edited.text, /^# The dev stack$/m);
    assert.match(edited.text, /# GPUs only/);
    assert.match(edited.text, /- \{key: maintenance, effect: NoSchedule\}/);
    assert.match(edited.text, /labels: \{env: dev\}/, "the file's own flow style is kept");
  });

  it("keeps existing taints and adds the cordon beside them; twice is once", () => {
    const once = editClusterTaints(devStack, "local-3", (t) => withCordon(t, "maintenance"));
    const twice = editClusterTaints(once.text, "local-3", (t) => withCordon(t, "maintenance"));
    assert.deepEqual(clustersOf(twice.text)[1].taints, [
      { key: "gpu", value: "true", effect: "NoSchedule" },
      { key: "maintenance", effect: "NoSchedule" },
    ]);
    assert.equal(twice.before.length, twice.after.length, "nothing to change the second time");
  });

  it("uncordon removes only the cordon of that key, and the taints list when it empties", () => {
    const cordoned = editClusterTaints(devStack, "local-1", (t) => withCordon(t, "maintenance")).text;
    const lifted = editClusterTaints(cordoned, "local-1", (t) => withoutCordon(t, "maintenance"));
    assert.equal(clustersOf(lifted.text)[0].taints, undefined);
    const gpu = editClusterTaints(devStack, "local-3", (t) => withoutCordon(t, "maintenance"));
    assert.deepEqual(gpu.after, gpu.before, "a taint of another key stays");
  });

  it("edits clusters written as one JSON string (as pulumi config set writes them) in that form", () => {
    const json = `config:\n  pledge:clusters: '[{"name":"c1","source":"local"}]'\n`;
    const edited = editClusterTaints(json, "c1", (t) => withCordon(t, "maintenance"));
    assert.deepEqual(JSON.parse(parse(edited.text).config["pledge:clusters"]), [
      { name: "c1", source: "local", taints: [{ key: "maintenance", effect: "NoSchedule" }] },
    ]);
  });

  it("names the clusters there are when the cluster is not one of them", () => {
    assert.throws(
      () => editClusterTaints(devStack, "local-9", (t) => t),
      /there is no cluster local-9 in pledge:clusters; the stack's clusters are local-1, local-3/,
    );
  });
});
