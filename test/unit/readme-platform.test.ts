// The README's "Start your own platform on Pledge" commands agree with the
// package they install (test/e2e/own-platform.test.ts runs them for real,
// from an empty directory; this catches a version bump in seconds).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { installForms, platformSteps, readmePlatformSteps } from "../e2e/readme-platform";

const repoRoot = join(__dirname, "..", "..");
const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));

describe("the README's own-platform section", () => {
  const steps = readmePlatformSteps(repoRoot);

  it("starts in a new directory of its own and writes the project's files", () => {
    assert.match(steps.start[0]!, /^mkdir (\S+) && cd \1$/);
    assert.deepEqual(steps.files.map((f) => f.name).sort(), ["Pulumi.dev.yaml", "Pulumi.yaml", "index.ts", "tsconfig.json"]);
  });

  for (const form of installForms) {
    it(`the ${form} form installs the Pulumi SDK versions Pledge is tested with`, () => {
      const install = steps.install[form].find((c) => c.startsWith("npm install "));
      assert.ok(install, `no npm install in the ${form} block: ${steps.install[form].join("; ")}`);
      assert.ok(install.includes(` @pulumi/kubernetes@${manifest.peerDependencies["@pulumi/kubernetes"]}`), install);
      assert.ok(install.includes(` @pulumi/pulumi@${manifest.devDependencies["@pulumi/pulumi"]}`), install);
    });
  }

  it("the tarball form installs the file npm pack writes for this version", () => {
    assert.ok(
      steps.install.tarball.some((c) => c.includes(` ./${manifest.name}-${manifest.version}.tgz `)),
      steps.install.tarball.join("; "),
    );
  });

  it("the path form copies Pledge, and keeps copying on later installs (project .npmrc)", () => {
    assert.ok(steps.install.path.includes("npm config set install-links=true --location=project"));
  });

  it("runs the installed pledge bin", () => {
    assert.ok(steps.run.some((c) => /^npx pledge up\b/.test(c)));
  });
});

describe("Pledge as the README installs it", () => {
  it("is built on install from a path or git (prepare), dist/ shipped in a tarball", () => {
    assert.match(manifest.scripts.prepare, /build:lib/);
    assert.match(manifest.scripts["build:lib"], /tsc -p tsconfig\.build\.json/);
    assert.deepEqual(manifest.files.slice(0, 1), ["dist/src"]);
  });

  it("asks for exactly the @pulumi/kubernetes it is tested with (each SDK version wants its own provider plugin)", () => {
    assert.equal(manifest.peerDependencies["@pulumi/kubernetes"], manifest.devDependencies["@pulumi/kubernetes"]);
  });
});

describe("reading the section", () => {
  const section = (...blocks: string[]) =>
    `# Pledge\n\n## Start your own platform on Pledge\n\n${blocks.map((b) => `${b}\n`).join("\n")}\n## Next\n\n\`\`\`sh\nnpm test\n\`\`\`\n`;
  const sh = (...lines: string[]) => ["```sh", ...lines, "```"].join("\n");
  const start = sh("mkdir p && cd p");
  const forms = [
    sh("npm pack ../pledge", "npm install ./pledge-1.0.0.tgz"),
    sh("npm install --install-links ../pledge"),
    sh("npm install git+https://h/p.git"),
  ];
  const files = ["```ts", "// index.ts", "export = 1;", "```"].join("\n");
  const run = sh("npx pledge up -s dev   # deploys");

  it("takes each block for what it is, without comments", () => {
    const steps = platformSteps(section(start, ...forms, files, run));
    assert.deepEqual(steps.start, ["mkdir p && cd p"]);
    assert.deepEqual(steps.install.tarball, ["npm pack ../pledge", "npm install ./pledge-1.0.0.tgz"]);
    assert.deepEqual(steps.install.git, ["npm install git+https://h/p.git"]);
    assert.deepEqual(steps.files, [{ name: "index.ts", text: "// index.ts\nexport = 1;\n" }]);
    assert.deepEqual(steps.run, ["npx pledge up -s dev"]);
  });

  const broken: [string, string[], RegExp][] = [
    ["no section", [], /has no section/],
    ["a form missing", [start, forms[0]!, forms[2]!, files, run], /lacks an sh block that gets Pledge from a path/],
    ["nothing run after the files", [start, ...forms, files], /lacks an sh block run in the project/],
    [
      "a file block without its name",
      [start, ...forms, "```ts\nexport = 1;\n```", run],
      /a ts block whose first line names no file/,
    ],
    [
      "two forms in one block",
      [start, sh("npm pack ../pledge", "npm install --install-links ../pledge"), forms[2]!, files, run],
      /in 2 ways/,
    ],
  ];
  for (const [what, blocks, error] of broken) {
    it(`says what is wrong: ${what}`, () => {
      const readme = what === "no section" ? "# Pledge\n" : section(...blocks);
      assert.throws(() => platformSteps(readme), error);
    });
  }
});
