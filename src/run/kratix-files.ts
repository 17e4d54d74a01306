// Reading the files of Kratix Promises: each Promise file and the
// dependenciesFrom directory beside it, before anything is decided. A file
// that cannot be read is data (the importer words the problem); the importer
// in src/kratix/ gets the texts and reads nothing itself.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { RawStackConfig } from "../config/parse";
import { isDependencyYaml, type DependencyDirectory, type ReadError } from "../kratix/dependency-files";
import {
  importKratixTexts,
  KratixImportError,
  kratixPromisePaths,
  type FileRead,
  type ImportKratixOptions,
  type KratixImport,
  type KratixPromise,
  type KratixPromiseTexts,
  type KratixSpec,
} from "../kratix/import";
import { kratixOfferEntries, kratixOfferImport, type KratixOfferEntry, type KratixOfferTexts } from "../kratix/offers";

function readError(err: unknown): ReadError {
  const code = (err as NodeJS.ErrnoException).code;
  return { ...(code ? { code } : {}), message: (err as Error).message };
}

function readText(path: string): FileRead {
  try {
    return { text: readFileSync(path, "utf8") };
  } catch (err) {
    return { error: readError(err) };
  }
}

/** Every file below `dir`, in path order, with the text of the YAML ones (as Kratix takes every file of a pipeline's output). */
export function readDependencyDirectory(dir: string): DependencyDirectory {
  let files: string[];
  try {
    if (!statSync(dir).isDirectory()) return { notADirectory: true };
    files = readdirSync(dir, { recursive: true, encoding: "utf8" })
      .filter((name) => statSync(join(dir, name)).isFile())
      .sort();
  } catch (err) {
    return { error: readError(err) };
  }
  return {
    files: files.map((file) => {
      const name = relative(dir, join(dir, file));
      return isDependencyYaml(name) ? { name, text: readFileSync(join(dir, file), "utf8") } : { name };
    }),
  };
}

/** The Promise file and its dependenciesFrom directory, relative paths read from `baseDir`. */
export function readKratixPromiseTexts(
  file: string,
  options: { baseDir: string; dependenciesFrom?: string },
): KratixPromiseTexts {
  const paths = kratixPromisePaths(file, options);
  return {
    promise: readText(paths.path),
    ...(paths.dependencies ? { dependencies: readDependencyDirectory(paths.dependencies.dir) } : {}),
  };
}

/** The files of every entry with `kratix:`, relative paths read from the project directory. */
export function readKratixOfferFiles(offers: readonly KratixOfferEntry[], projectDir: string): KratixOfferTexts {
  const texts = new Map<string, KratixPromiseTexts>();
  for (const offer of offers) {
    if (offer.kratix === undefined) continue;
    const { file, options } = kratixOfferImport({ ...offer, kratix: offer.kratix }, projectDir);
    texts.set(offer.name, readKratixPromiseTexts(file, options));
  }
  return texts;
}

/** What a run reads for the Kratix Promises its stack config names (`pledge:promises.<name>.kratix`), for buildStackModelWithKratix. */
export function readKratixFiles(raw: RawStackConfig, projectDir: string): KratixOfferTexts {
  return readKratixOfferFiles(kratixOfferEntries(raw), projectDir);
}

/** importKratixPromise without the throw: the promise, or every problem (for callers that gather problems, like stack config). */
export function tryImportKratixPromise<Spec = KratixSpec>(
  file: string,
  options: ImportKratixOptions<Spec> = {},
): KratixImport<Spec> {
  const baseDir = options.baseDir ?? process.cwd();
  const texts = readKratixPromiseTexts(file, { baseDir, dependenciesFrom: options.dependenciesFrom });
  return importKratixTexts(file, { ...options, baseDir }, texts);
}

/**
 * A Kratix Promise file as a Pledge promise for the catalogue:
 * `importKratixPromise(join(__dirname, "redis.yaml"), { render: (request) => [...] })`.
 * Throws a KratixImportError listing every problem: each pipeline Pledge
 * cannot run, with its images and the option that would replace it.
 */
export function importKratixPromise<Spec = KratixSpec>(
  file: string,
  options: ImportKratixOptions<Spec> = {},
): KratixPromise<Spec> {
  const result = tryImportKratixPromise(file, options);
  if (!result.ok)
    throw new KratixImportError(kratixPromisePaths(file, { baseDir: options.baseDir ?? process.cwd() }).where, result.issues);
  return result.promise;
}
