// Kratix Promises named in stack config, `pledge:promises: {redis: {kratix:
// promises/kratix/redis.yaml}}`: imported with the plain-data options (no
// render: a Promise whose requests need one belongs in the catalogue, in
// TypeScript). Problems are the stack config's, gathered, never thrown. The run
// reads the files first (src/run/kratix-files.ts); this file gets their texts.
import type { Issue } from "../issues";
import type { LabelSelector } from "../labels/selectors";
import { parseStackConfig, type RawStackConfig } from "../config/parse";
import type { PledgePromise } from "../promise/define";
import { buildStackModel, type StackModelResult } from "../promise/stack-model";
import { importKratixTexts, type ImportKratixOptions, type KratixPromise, type KratixPromiseTexts } from "./import";
import { kratixRequirementIssues } from "./required-promises";

/** `kratix:` of a pledge:promises entry: the file, or the file with the options stack config can give. */
export type KratixOfferConfig =
  | string
  | {
      file: string;
      version?: string;
      description?: string;
      dependenciesFrom?: string;
      placementSelector?: LabelSelector;
      stateful?: boolean;
    };

export interface KratixOfferEntry {
  /** The pledge:promises key: the promise's name. */
  name: string;
  /** `pledge:promises.redis` */
  configPath: string;
  kratix?: KratixOfferConfig;
}

/** What the run read for the Kratix offers of a stack config, by their pledge:promises key. */
export type KratixOfferTexts = ReadonlyMap<string, KratixPromiseTexts>;

/** The pledge:promises entries of a stack config, `kratix:` or not (only pledge:promises is parsed: the offers depend on nothing else). */
export function kratixOfferEntries(raw: RawStackConfig): KratixOfferEntry[] {
  return parseStackConfig({ promises: raw.promises }).config.offers.map((o) => ({
    name: o.name,
    configPath: o.configPath,
    kratix: o.offer.kratix,
  }));
}

/** The file and import options of an entry with `kratix:`, relative paths read from the project directory. */
export function kratixOfferImport(
  offer: KratixOfferEntry & { kratix: KratixOfferConfig },
  projectDir: string,
): { file: string; options: ImportKratixOptions & { baseDir: string } } {
  const { file, ...options } = typeof offer.kratix === "string" ? { file: offer.kratix } : offer.kratix;
  return { file, options: { ...options, name: offer.name, baseDir: projectDir, configPath: `${offer.configPath}.kratix` } };
}

/**
 * The promises of every entry with `kratix:`, from the texts the run read for
 * them (by entry name). A name the catalogue has already is a problem: the
 * stack would not know which promise it offers. `failed` names the entries
 * that did not import, so "unknown promise" does not follow their problems.
 */
export function importKratixOffers(
  offers: readonly KratixOfferEntry[],
  projectDir: string,
  catalogueNames: readonly string[],
  texts: KratixOfferTexts,
): { promises: KratixPromise[]; issues: Issue[]; failed: string[] } {
  const promises: KratixPromise[] = [];
  const issues: Issue[] = [];
  const failed: string[] = [];
  for (const offer of offers) {
    if (offer.kratix === undefined) continue;
    const configPath = `${offer.configPath}.kratix`;
    if (catalogueNames.includes(offer.name)) {
      issues.push({
        path: configPath,
        message: `the catalogue already has a promise named ${offer.name}`,
        hint: "offer the Kratix Promise under another name (the key in pledge:promises)",
      });
      continue;
    }
    const read = texts.get(offer.name);
    if (!read) throw new Error(`${configPath}: the run did not read the Kratix Promise's files`);
    const { file, options } = kratixOfferImport({ ...offer, kratix: offer.kratix }, projectDir);
    const result = importKratixTexts(file, options, read);
    if (result.ok) promises.push(result.promise);
    else {
      // The platform owner chose the file: its problems are the stack config's.
      issues.push(...result.issues.map((issue) => ({ ...issue, kind: "config" as const })));
      failed.push(offer.name);
    }
  }
  return { promises, issues, failed };
}

/**
 * The stack model built from the platform's catalogue plus the Kratix
 * Promises the stack config names, from the texts the run read for them
 * (readKratixFiles), with every problem of both. Used by the program and by
 * the CLI's check before an update, so both see one catalogue.
 */
export function buildStackModelWithKratix(
  raw: RawStackConfig,
  projectDir: string,
  catalogue: readonly PledgePromise<any>[],
  kratixTexts: KratixOfferTexts,
): { result: StackModelResult; promises: readonly PledgePromise<unknown>[] } {
  const kratix = importKratixOffers(
    kratixOfferEntries(raw),
    projectDir,
    catalogue.map((p) => p.name),
    kratixTexts,
  );
  // Kratix requiredPromises: offered by this stack, at the version asked for (platform-wide, unlike requires).
  const result = buildStackModel(raw, [...catalogue, ...kratix.promises], [kratixRequirementIssues]);
  // A Kratix Promise that did not import has said why; "unknown promise" would only repeat it.
  const notImported = kratix.failed.map((name) => `unknown promise ${JSON.stringify(name)}`);
  const modelIssues = result.ok ? [] : result.issues.filter((i) => !notImported.includes(i.message));
  const issues = [...kratix.issues, ...modelIssues];
  return { result: issues.length > 0 ? { ok: false, issues } : result, promises: kratix.promises };
}
