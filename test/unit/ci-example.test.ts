// The CI example (examples/ci/pledge.yml) only runs pledge commands and flags
// the CLI has: a renamed command or option breaks this test, not a user's
// pipeline. The workflow is also valid YAML with the jobs the docs describe.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Command } from "commander";
import { parse } from "yaml";
import { pledgeCommands } from "../../src/cli/commands";

const read = (file: string) => parse(readFileSync(join(__dirname, "..", "..", "examples", "ci", file), "utf8"));
const workflow = read("pledge.yml");
const sharded = read("shards.yml");
const runs = (w: { jobs: Record<string, { steps: { run?: string }[] }> }): string[] =>
  Object.values(w.jobs).flatMap((job) => job.steps.flatMap((s) => (s.run ? [s.run] : [])));
const scripts = [...runs(workflow), ...runs(sharded)];

describe("examples/ci/pledge.yml", () => {
  it("previews and checks on pull requests and runs pledge up on main", () => {
    assert.equal(workflow.jobs.preview.if, "github.event_name == 'pull_request'");
    assert.equal(workflow.jobs.up.if, "github.event_name == 'push'");
    assert.deepEqual(workflow.on.push.branches, ["main"]);
  });

  it("shards.yml previews across shards and updates each shard in its own job", () => {
    assert.equal(sharded.jobs.up.strategy["fail-fast"], false);
    assert.ok(sharded.jobs.up.strategy.matrix.shard.length > 1);
    assert.match(runs({ jobs: { preview: sharded.jobs.preview } }).join("\n"), /npx pledge preview [^\n]*--all/);
    assert.match(runs({ jobs: { up: sharded.jobs.up } }).join("\n"), /npx pledge up [^\n]*--shard "\$\{\{ matrix\.shard \}\}"/);
  });

  it("uses only commands and options the pledge CLI has", () => {
    const commands = new Map<string, Command>(pledgeCommands().map((c) => [c.name(), c]));
    const calls = scripts.flatMap((text) => [...text.matchAll(/npx pledge ([a-z]+)([^\n>|&;]*)/g)]);
    assert.ok(calls.length >= 6, "the workflows run pledge check, preview, up and status, and preview --all and up --shard");
    for (const [, name, rest] of calls) {
      const command = commands.get(name!);
      assert.ok(command, `pledge ${name} is not a command`);
      const flags = [...rest!.matchAll(/(?:^|\s)(--?[a-z][a-z-]*)/g)].map((m) => m[1]!);
      const known = command.options.flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined));
      for (const flag of flags) assert.ok(known.includes(flag), `pledge ${name} has no option ${flag}`);
    }
  });
});
