// The JSON Schema editors use for request files (schemas/requests.schema.json,
// named by the modeline in each requests/*.yaml) is the one `pledge schema`
// generates from the catalogue, and it says yes and no where Pledge does.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { catalogue } from "../../promises";
import { requestFileJsonSchema } from "../../src/promise/request-file-schema";

const root = join(__dirname, "..", "..");
const committed = JSON.parse(readFileSync(join(root, "schemas", "requests.schema.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(committed);

describe("request file JSON Schema", () => {
  it("is what pledge schema generates from the catalogue (run `npm run pledge -- schema > schemas/requests.schema.json` after changing a promise)", () => {
    assert.deepEqual(committed, requestFileJsonSchema(catalogue));
  });

  it("every sample request file names it in a yaml-language-server modeline and passes it", () => {
    const files = readdirSync(join(root, "requests")).filter((f) => f.endsWith(".yaml"));
    assert.ok(files.length > 0);
    for (const file of files) {
      const text = readFileSync(join(root, "requests", file), "utf8");
      assert.match(text, /^# yaml-language-server: \$schema=\.\.\/schemas\/requests\.schema\.json$/m, file);
      assert.equal(validate(parse(text)), true, `${file}: ${JSON.stringify(validate.errors)}`);
    }
  });

  it("rejects an unknown promise, a spec field of another promise and a misspelled request field", () => {
    const bad = [
      { requests: [{ promise: "redsi", name: "x" }] },
      { requests: [{ promise: "redis", name: "x", spec: { storageGi: 20 } }] },
      { requests: [{ promise: "redis", name: "x", spec: { size: "huge" } }] },
      { requests: [{ promise: "redis", name: "x", replicas: 3 }] },
      { requests: [{ promise: "postgres" }] },
    ];
    for (const file of bad) assert.equal(validate(file), false, JSON.stringify(file));
    assert.equal(validate({ requests: [{ promise: "postgres", name: "x", spec: { storageGi: 20 } }] }), true);
  });
});
