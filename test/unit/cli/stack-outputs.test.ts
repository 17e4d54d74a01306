// pledge reads a stack's outputs from its exported state (one pulumi run
// fewer than `stack output`, which takes two): they must come out as the
// Automation API's own `stack.outputs()` gives them: secrets opened, an output
// marked secret when it is a secret as a whole.
import assert from "node:assert/strict";
import { it } from "node:test";
import { outputsOfState } from "../../../src/cli/stack/stack-outputs";

const sig = "4dabf18193072939515e22adb298388d";
const secret = (value: unknown) => ({ [sig]: "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(value) });

it("takes the outputs from the root stack resource, with secrets opened, marked secret when secret as a whole", () => {
  const deployment = {
    resources: [
      { type: "pulumi:providers:kubernetes", outputs: { kubeconfig: secret("not an output") } },
      {
        type: "pulumi:pulumi:Stack",
        outputs: {
          clusters: ["local-1", "local-2"],
          password: secret("hunter2"),
          requests: { "redis/a": { host: "a.svc", auth: secret({ user: "app", port: 6379 }) } },
          fingerprint: "abc",
        },
      },
    ],
  };
  assert.deepEqual(outputsOfState(deployment), {
    clusters: { value: ["local-1", "local-2"], secret: false },
    password: { value: "hunter2", secret: true },
    // As `pulumi stack output` masks it: only a secret as a whole is "[secret]", so marked secret.
    requests: { value: { "redis/a": { host: "a.svc", auth: { user: "app", port: 6379 } } }, secret: false },
    fingerprint: { value: "abc", secret: false },
  });
});

it("gives no outputs for a stack never updated", () => {
  assert.deepEqual(outputsOfState({}), {});
  assert.deepEqual(outputsOfState({ resources: [] }), {});
});
