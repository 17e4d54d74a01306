// Pledge's public API: everything promise authors and platform programs use,
// from one module (`import { definePromise, helmChart, definePlatform } from "pledge"`).
// Anything not exported here is internal and may change in any release.
// Cloud cluster components load the cloud SDKs, so they have their own entry: "pledge/clouds".

// Promises: a service offering in one typed object, and what it may render.
// Request schemas are zod schemas; `z` is re-exported so a platform's promises
// and Pledge always share one copy of zod (two copies would not type-check).
export { z } from "zod";
export { definePromise } from "./promise/define";
export type {
  PartPlacement,
  PartRequest,
  PartView,
  Parts,
  PledgePromise,
  PromiseSpec,
  RemoteAccess,
  RequestOutputs,
  RequestView,
  SpecParse,
} from "./promise/define";
export type { ClusterView, Manifest, ObjectMeta } from "./promise/manifest";
export { helmChart, yamlFile } from "./promise/blocks";
export type { ChartSource, HelmChart, HelmChartArgs, RenderedItem, YamlFile, YamlSource } from "./promise/blocks";

// The vocabulary of placement, with Kubernetes' exact semantics.
export type { Labels } from "./labels/labels";
export type { LabelSelector, LabelSelectorRequirement } from "./labels/selectors";
export { matchesSelector } from "./labels/selectors";
export type { Taint, Toleration } from "./labels/taints";

// Platforms: the Pulumi program.
export { definePlatform } from "./platform";
export type { PledgePlatform } from "./platform";
export { pledgeProgram } from "./program";
export type { PledgeProgramOptions } from "./program";

// The components a Pledge stack is made of (type tokens pledge:index:Cluster, Promise, Request).
export { ClusterComponent } from "./pulumi/cluster";
export type { ClusterAccess, ClusterComponentArgs } from "./pulumi/cluster";
export { PromiseComponent, RequestComponent } from "./pulumi/promise-components";
export { KubeObject } from "./pulumi/kube-object";

// The stack outputs contract, for CI, other stacks and tools that read a Pledge stack.
export { buildStackOutputs, previousPlacementOf, stackOutputsOf } from "./outputs";
export type { Explanation, PromiseOutput, RequestOutput, StackOutputs } from "./outputs";
export type { ClusterVerdict, Move } from "./core/outcome";
export { allVerdicts } from "./core/outcome";

// Kratix Promises imported as Pledge promises (docs/kratix.md).
export { KratixImportError } from "./kratix/import";
export { importKratixPromise, tryImportKratixPromise } from "./run/kratix-files";
export type { ImportKratixOptions, KratixFacts, KratixPromise, KratixSpec } from "./kratix/import";
export { kratixStrictMatchTaint, kratixStrictMatchToleration } from "./kratix/scheduling";
export type { KratixNotice } from "./kratix/scheduling";

// Problems, as every layer reports them.
export { formatIssues, PledgeError } from "./issues";
export type { Issue, IssueKind } from "./issues";
