// The Pulumi project the CLI works on: its directory, and the catalogue its
// program was defined with (read by loading Pulumi.yaml's main module, which
// defines the program without running it).
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { isPledgePlatform, type PledgePlatform } from "../../platform";
import type { PledgePromise } from "../../promise/define";

/** The main module Pulumi runs for the project in dir, as Pulumi resolves it for Node.js. */
export function programModule(dir: string): string {
  const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!projectFile)
    throw new Error(
      `${dir} is not a Pulumi project (no Pulumi.yaml); run pledge in your platform's project directory or give --dir`,
    );
  const main = (parse(readFileSync(projectFile, "utf8")) as { main?: unknown })?.main;
  const entry = resolve(dir, typeof main === "string" ? main : ".");
  const candidates =
    existsSync(entry) && statSync(entry).isDirectory() ? ["index.ts", "index.js"].map((f) => join(entry, f)) : [entry];
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new Error(`${projectFile}: main ${JSON.stringify(main ?? ".")} names no index.ts or index.js`);
  return found;
}

/** The project's platform: its main module exports definePlatform's result. */
export function loadPlatform(dir: string): PledgePlatform {
  const file = programModule(dir);
  // A TypeScript program needs a loader when the CLI itself runs as JavaScript.
  if (file.endsWith(".ts") && !process.execArgv.some((a) => a.includes("tsx"))) require("tsx/cjs/api").register();
  const loaded = require(file) as unknown;
  const platform = isPledgePlatform(loaded)
    ? loaded
    : isPledgePlatform((loaded as { default?: unknown })?.default)
      ? (loaded as { default: unknown }).default
      : undefined;
  if (!isPledgePlatform(platform))
    throw new Error(`${file} does not export a Pledge platform: end it with \`export = definePlatform({ catalogue })\``);
  return platform;
}

/** The catalogue of the project's platform. */
export function loadCatalogue(dir: string): readonly PledgePromise<any>[] {
  return loadPlatform(dir).catalogue;
}
