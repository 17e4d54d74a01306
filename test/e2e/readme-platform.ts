// The README's "Start your own platform on Pledge" section as steps a test can
// run: its sh blocks (the start, one block per way of getting Pledge, the
// commands run in the project) and its files (a block whose first line is a
// comment naming the file). The test runs what the reader would type, so a
// doc edit that breaks a command breaks the test.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const platformSection = "Start your own platform on Pledge";

/** The ways to get Pledge the section shows, each in an sh block of its own. */
export const installForms = ["tarball", "path", "git"] as const;
export type InstallForm = (typeof installForms)[number];

export interface ReadmeFile {
  /** Where the file goes in the project, e.g. "index.ts". */
  name: string;
  /** Its text, exactly as in the README (the naming comment included). */
  text: string;
}

export interface PlatformSteps {
  /** Commands that start the project (before any way of getting Pledge). */
  start: string[];
  /** Commands that add Pledge to the project, per form. */
  install: Record<InstallForm, string[]>;
  files: ReadmeFile[];
  /** Commands run in the project once its files are written. */
  run: string[];
}

/** What makes an sh block the one for a form. */
const formMarks: Record<InstallForm, RegExp> = {
  tarball: /^npm pack\b/m,
  // npm install of a relative path that is not a tarball
  path: /^npm install\b.*\s\.{1,2}\/\S*(?<!\.tgz)(?=\s|$)/m,
  git: /\bgit\+\w+:/,
};

/** The commands of an sh block: comment lines and trailing `  # comments` dropped. */
function commandsOf(block: string): string[] {
  return block
    .split("\n")
    .map((line) => line.replace(/\s+#\s.*$/, "").trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/** The section's steps, or an error saying what the section lacks. */
export function platformSteps(readme: string): PlatformSteps {
  const start = readme.indexOf(`\n## ${platformSection}\n`);
  if (start < 0) throw new Error(`README.md has no section "## ${platformSection}"`);
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const where = `README.md, "${platformSection}"`;

  const steps: PlatformSteps = { start: [], install: { tarball: [], path: [], git: [] }, files: [], run: [] };
  for (const [, lang, body] of section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)) {
    const named = /^(?:\/\/|#)\s*([\w.-]+\.(?:ts|json|yaml|yml))\b/.exec(body!);
    if (named) {
      steps.files.push({ name: named[1]!, text: body! });
      continue;
    }
    if (lang !== "sh") throw new Error(`${where}: a ${lang || "plain"} block whose first line names no file:\n${body}`);
    const forms = installForms.filter((form) => formMarks[form].test(body!));
    if (forms.length > 1) throw new Error(`${where}: one sh block gets Pledge in ${forms.length} ways (${forms.join(", ")})`);
    const form = forms[0];
    if (form) {
      if (steps.install[form].length > 0) throw new Error(`${where}: two sh blocks get Pledge from a ${form}`);
      steps.install[form] = commandsOf(body!);
    } else if (steps.files.length === 0 && installForms.every((f) => steps.install[f].length === 0)) {
      steps.start.push(...commandsOf(body!));
    } else if (steps.files.length > 0) {
      steps.run.push(...commandsOf(body!));
    } else {
      throw new Error(
        `${where}: an sh block between the ways of getting Pledge and the files that gets Pledge in none:\n${body}`,
      );
    }
  }
  const missing = [
    ...(steps.start.length === 0 ? ["an sh block that starts the project"] : []),
    ...installForms.filter((f) => steps.install[f].length === 0).map((f) => `an sh block that gets Pledge from a ${f}`),
    ...(steps.files.length === 0 ? ["the project's files"] : []),
    ...(steps.run.length === 0 ? ["an sh block run in the project after its files"] : []),
  ];
  if (missing.length > 0) throw new Error(`${where} lacks ${missing.join(", ")}`);
  return steps;
}

export function readmePlatformSteps(repoRoot: string): PlatformSteps {
  return platformSteps(readFileSync(join(repoRoot, "README.md"), "utf8"));
}
