// What becomes of a Promise's workflows when Pledge, which runs no containers
// at deploy time, imports it. A resource.configure pipeline is replaced by a
// TypeScript `render` (its destination-selectors.yaml by `placementSelector`),
// a promise.configure pipeline by `dependenciesFrom` (the YAML it writes);
// any other configure pipeline is an error naming its images and the option
// that would replace it. Delete pipelines, pipeline RBAC and workflows.config
// have nothing to do in Pledge: each gets a notice.
//
// No image is reproduced built-in. The marketplace's images are bespoke per
// promise behind mutable tags; kratix-cli's from-api-to-operator and
// from-api-to-crossplane-claim are pure, but copy the request's Kratix labels
// and annotations (trace timestamps among them) and always write to namespace
// default, and their published tag (v0.2.2) names no source tag. Their error
// says instead what render would do the same.
import type { Issue } from "../issues";
import type { KratixPipeline } from "./promise-file";
import type { KratixNotice } from "./scheduling";

export interface WorkflowOptions {
  render: boolean;
  placementSelector: boolean;
  dependenciesFrom: boolean;
}

/** kratix-cli's stages that copy a request into one object of a given kind, and the env vars naming it. */
const copyStages: { image: string; env: [string, string, string] }[] = [
  { image: "ghcr.io/syntasso/kratix-cli/from-api-to-operator", env: ["OPERATOR_GROUP", "OPERATOR_VERSION", "OPERATOR_KIND"] },
  { image: "ghcr.io/syntasso/kratix-cli/from-api-to-crossplane-claim", env: ["XRD_GROUP", "XRD_VERSION", "XRD_KIND"] },
];

function repository(image: string): string {
  const withoutDigest = image.split("@")[0]!;
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  return colon > lastSlash ? withoutDigest.slice(0, colon) : withoutDigest;
}

function imagesOf(pipeline: KratixPipeline): string {
  const images = pipeline.containers.map((c) => c.image);
  if (images.length === 0) return "no containers";
  return images.length === 1 ? `image ${images[0]}` : `images ${images.join(", then ")}`;
}

/** For kratix-cli's copy stages: the render that writes what the image writes, less Kratix's own metadata. */
function copyStageHint(pipeline: KratixPipeline): string | undefined {
  for (const container of pipeline.containers) {
    const stage = copyStages.find((s) => repository(container.image) === s.image);
    if (!stage) continue;
    const [group, version, kind] = stage.env.map((name) => container.env[name] ?? `<${name}>`);
    return `${repository(container.image)} writes one ${group}/${version} ${kind} named after the request, with its spec, in namespace default; as a render: (request) => [{ apiVersion: "${group}/${version}", kind: "${kind}", metadata: { name: request.name, namespace: request.namespace }, spec: request.spec }]`;
  }
  return undefined;
}

const pipelineNames = (pipelines: readonly KratixPipeline[]) =>
  pipelines.map((p) => `${JSON.stringify(p.name)} (${imagesOf(p)})`).join(", ");

/** Errors for pipelines nothing replaces and options that replace nothing, and notices for what is replaced or ignored. */
export function workflowOutcome(
  pipelines: readonly KratixPipeline[],
  options: WorkflowOptions,
  where: string,
  optionsPath: string,
  workflowConfig: readonly string[],
): { issues: Issue[]; notices: KratixNotice[] } {
  const issues: Issue[] = [];
  const notices: KratixNotice[] = [];
  const at = (path: string) => `${where}: ${path}`;
  const resourceConfigure = pipelines.filter((p) => p.workflow === "resource" && p.action === "configure");
  const promiseConfigure = pipelines.filter((p) => p.workflow === "promise" && p.action === "configure");

  if (resourceConfigure.length > 0 && options.render) {
    notices.push({
      path: at("spec.workflows.resource.configure"),
      message: `${pipelineNames(resourceConfigure)}: replaced by the render option; Pledge runs no pipeline`,
    });
  }
  for (const pipeline of options.render ? [] : resourceConfigure) {
    const copy = copyStageHint(pipeline);
    issues.push({
      path: at(pipeline.path),
      message: `pipeline ${JSON.stringify(pipeline.name)} runs ${imagesOf(pipeline)}, which Pledge does not run`,
      hint: `pass render: (request, cluster) => [...] to importKratixPromise, and placementSelector for what its destination-selectors.yaml chose${copy ? `; ${copy}` : ""}`,
      kind: "promise",
    });
  }
  if (promiseConfigure.length > 0 && options.dependenciesFrom) {
    notices.push({
      path: at("spec.workflows.promise.configure"),
      message: `${pipelineNames(promiseConfigure)}: replaced by the YAML in dependenciesFrom; Pledge runs no pipeline`,
    });
  }
  for (const pipeline of options.dependenciesFrom ? [] : promiseConfigure) {
    issues.push({
      path: at(pipeline.path),
      message: `pipeline ${JSON.stringify(pipeline.name)} runs ${imagesOf(pipeline)}, which Pledge does not run; its output is the promise's dependencies`,
      hint: `pass dependenciesFrom: "<directory of the YAML files it writes to /kratix/output>"`,
      kind: "promise",
    });
  }
  if (options.render && resourceConfigure.length === 0) {
    issues.push({
      path: `${optionsPath}.render`,
      message: "the promise has no resource.configure pipeline for it to replace",
      hint: "remove render: a Kratix Promise without one renders nothing for a request",
      kind: "promise",
    });
  }
  if (options.placementSelector && !options.render) {
    issues.push({
      path: `${optionsPath}.placementSelector`,
      message: "is given without render",
      hint: "it stands for the destination-selectors.yaml of the resource pipeline that render replaces",
      kind: "promise",
    });
  }
  if (options.dependenciesFrom && promiseConfigure.length === 0) {
    issues.push({
      path: `${optionsPath}.dependenciesFrom`,
      message: "the promise has no promise.configure pipeline whose output it would replace",
      hint: "put static dependencies in spec.dependencies",
      kind: "promise",
    });
  }
  for (const pipeline of pipelines.filter((p) => p.action === "delete")) {
    notices.push({
      path: at(pipeline.path),
      message: `delete pipeline ${JSON.stringify(pipeline.name)} (${imagesOf(pipeline)}) is ignored: Pledge deletes only what it applied, and runs nothing when it does`,
    });
  }
  for (const pipeline of pipelines.filter((p) => p.rbac && p.action === "configure")) {
    notices.push({
      path: at(`${pipeline.path}.spec.rbac`),
      message:
        "is ignored: it grants the pipeline access to the platform cluster, and what replaces the pipeline runs in the Pulumi program",
    });
  }
  if (workflowConfig.length > 0) {
    notices.push({
      path: at("spec.workflows.config"),
      message: `${workflowConfig.join(", ")} ignored: Pledge runs no workflow Jobs and re-renders on every update`,
    });
  }
  return { issues, notices };
}
