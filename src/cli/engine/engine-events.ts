// What a person reads of an engine run, taken from its events instead of its
// raw output: the problems (each once, without stack traces or dumps of
// outputs), the warnings Pledge gives (moves, unplaced requests, unreachable
// clusters), and what changed on each cluster. `--verbose` shows the raw
// engine output as well.
import type { EngineEvent, OpType } from "@pulumi/pulumi/automation";
import { clusterOfProvider, nameOfUrn, ownerOfName, type ObjectOwner } from "../stack/state-objects";
import { fileChangesOf, type FileChange } from "./git-file-changes";

export type ChangeCounts = Partial<Record<"create" | "update" | "replace" | "delete", number>>;

export interface EngineReport {
  /** Error diagnostics, each once, Pledge's own first. */
  errors: string[];
  /** The clusters whose objects failed, with their errors (an API server that went away mid-update, say). */
  failedClusters: Map<string, string[]>;
  warnings: string[];
  /** Kubernetes objects changed (or to change, in a preview) per cluster. */
  changes: Map<string, ChangeCounts>;
  /** Each changed object per cluster, for listings (deletions in a preview). */
  objects: Map<string, ChangedObject[]>;
}

export interface ChangedObject {
  op: keyof ChangeCounts;
  /** Resource name (the last part of its URN). */
  name: string;
  /** What put it there: a request, a promise's dependencies, a team's environment. */
  owner?: ObjectOwner;
}

const ansi = /\u001b\[[0-9;]*m/g;
// The engine's own closing words add nothing to the problem that caused them.
const generic = /^(update|preview|refresh|destroy) failed$|^an unhandled error occurred:?$|^program failed/i;

/** Cleans one diagnostic: colours and the SDK's "Error: " wrapper off, and the RunError's stack trace lines gone. */
function cleanDiagnostic(message: string): string {
  return message
    .replace(ansi, "")
    .replace(/^\s*(Error|RunError): /, "")
    .split("\n")
    .filter((line) => !/^\s+at .+\(.+:\d+:\d+\)$|^\s+at \S+:\d+:\d+$/.test(line))
    .join("\n")
    .trim();
}

const counted: Partial<Record<OpType, keyof ChangeCounts>> = {
  create: "create",
  update: "update",
  replace: "replace",
  delete: "delete",
};

export class EngineListener {
  private readonly errors: string[] = [];
  private readonly warnings: string[] = [];
  private readonly changes = new Map<string, ChangeCounts>();
  private readonly objects = new Map<string, ChangedObject[]>();
  private readonly parentOfUrn = new Map<string, string>();
  private readonly clusterOfUrn = new Map<string, string>();
  private readonly failed = new Map<string, string[]>();
  private readonly pendingFiles = new Map<string, FileChange[]>();
  private started = 0;
  private finished = 0;

  constructor(private readonly progress?: (line: string) => void) {}

  readonly onEvent = (event: EngineEvent): void => {
    const diagnostic = event.diagnosticEvent;
    if (diagnostic && (diagnostic.severity === "error" || diagnostic.severity === "warning")) {
      const text = cleanDiagnostic(diagnostic.message);
      const list = diagnostic.severity === "error" ? this.errors : this.warnings;
      if (text && !generic.test(text) && !list.includes(text)) list.push(text);
      const cluster = diagnostic.urn ? this.clusterOfUrn.get(diagnostic.urn) : undefined;
      if (diagnostic.severity === "error" && cluster && text)
        this.failed.set(cluster, [...(this.failed.get(cluster) ?? []), text]);
    }
    const pre = event.resourcePreEvent?.metadata;
    const preCluster = clusterOfProvider(pre?.new?.provider ?? pre?.old?.provider);
    if (pre && preCluster) this.clusterOfUrn.set(pre.urn, preCluster);
    const parent = pre?.new?.parent ?? pre?.old?.parent;
    if (pre && parent) this.parentOfUrn.set(pre.urn, parent);
    if (pre && pre.op !== "same" && pre.op !== "read" && !pre.type.startsWith("pulumi:")) this.started += 1;
    // A step's outputs event closes it, in previews (planned) and updates (applied) alike.
    const done = event.resOutputsEvent?.metadata;
    if (done && done.op !== "same" && done.op !== "read" && !done.type.startsWith("pulumi:")) this.finished += 1;
    if (done) this.count(done.op, done.urn, done.new?.provider ?? done.old?.provider, done.type);
    // A state store's files count on their clusters once its step is done (planned in a preview, written in an update).
    const files = fileChangesOf(event);
    if (pre && files.length > 0) this.pendingFiles.set(pre.urn, files);
    if (done && this.pendingFiles.has(done.urn)) {
      for (const f of this.pendingFiles.get(done.urn)!) this.record(f.cluster, f.op, f.name, f.owner);
      this.pendingFiles.delete(done.urn);
    }
    this.progress?.(`${this.finished}/${Math.max(this.started, this.finished)} changes applied`);
  };

  private count(op: OpType, urn: string, provider: string | undefined, type: string): void {
    const kind = counted[op];
    const cluster = clusterOfProvider(provider);
    if (!kind || !cluster || type.startsWith("pulumi:")) return;
    this.record(cluster, kind, nameOfUrn(urn), this.ownerOf(urn));
  }

  private record(cluster: string, kind: keyof ChangeCounts, name: string, owner: ObjectOwner | undefined): void {
    const counts = this.changes.get(cluster) ?? {};
    counts[kind] = (counts[kind] ?? 0) + 1;
    this.changes.set(cluster, counts);
    const list = this.objects.get(cluster) ?? [];
    list.push({ op: kind, name, ...(owner ? { owner } : {}) });
    this.objects.set(cluster, list);
  }

  /** The owner by the resource's name, or its parent's (a chart's objects). */
  private ownerOf(urn: string): ObjectOwner | undefined {
    for (let u: string | undefined = urn; u; u = this.parentOfUrn.get(u)) {
      const owner = ownerOfName(nameOfUrn(u));
      if (owner) return owner;
    }
    return undefined;
  }

  report(): EngineReport {
    // Pledge's own problem list first: it is what the person has to fix.
    const ours = (e: string) =>
      /^(Pledge configuration|Promises have|This update needs confirmation|\d+ cluster problems?)/.test(e);
    return {
      errors: [...this.errors.filter(ours), ...this.errors.filter((e) => !ours(e))],
      failedClusters: this.failed,
      warnings: this.warnings,
      changes: this.changes,
      objects: this.objects,
    };
  }
}
