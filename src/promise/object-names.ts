// The metadata.name rules kube-apiserver applies, per kind. Most kinds take a
// DNS-1123 subdomain; the table lists those that take something else, each row
// citing the validation it mirrors (kubernetes/kubernetes pkg/apis/<group>/validation).
// Custom resources take the default: apiextensions-apiserver validates their
// metadata with NameIsDNSSubdomain (pkg/registry/customresource/validator.go).
import { isDnsLabel, isDnsSubdomain } from "../labels/labels";

interface NameRule {
  /** What a valid name looks like, for the message. */
  describe: string;
  valid: (name: string) => boolean;
}

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const dnsSubdomain: NameRule = {
  describe:
    "a DNS subdomain (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters)",
  valid: isDnsSubdomain,
};
const dnsLabel: NameRule = {
  describe: "a DNS label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)",
  valid: isDnsLabel,
};
const dns1035Label: NameRule = {
  describe:
    "a DNS-1035 label (lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most 63 characters)",
  valid: (name) => name.length <= 63 && DNS1035_LABEL.test(name),
};
// apimachinery pkg/api/validation/path IsValidPathSegmentName: the name need only fit in a URL path and a storage key.
const pathSegment: NameRule = {
  describe: "a path segment (any text but \".\" and \"..\", without '/' or '%')",
  valid: (name) => name !== "." && name !== ".." && !name.includes("/") && !name.includes("%"),
};
const cronJobName: NameRule = {
  describe:
    "a DNS subdomain of at most 52 characters (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit; the controller adds 11 to name each Job)",
  valid: (name) => name.length <= 52 && isDnsSubdomain(name),
};

/** "group/Kind" (the core group is "") -> its rule; any other kind takes a DNS subdomain. */
const nameRules = new Map<string, NameRule>([
  // core: ValidateNamespaceName = NameIsDNSLabel, ValidateServiceName = NameIsDNS1035Label
  ["/Namespace", dnsLabel],
  ["/Service", dns1035Label],
  // apps: ValidateStatefulSetName = NameIsDNSLabel (its pods are named <name>-<ordinal>)
  ["apps/StatefulSet", dnsLabel],
  // batch: ValidateCronJobCreate, NameIsDNSSubdomain and at most 52 characters
  ["batch/CronJob", cronJobName],
  // rbac: minimalNameRequirements = path.IsValidPathSegmentName ("system:controller:foo" is a ClusterRole name)
  ["rbac.authorization.k8s.io/Role", pathSegment],
  ["rbac.authorization.k8s.io/ClusterRole", pathSegment],
  ["rbac.authorization.k8s.io/RoleBinding", pathSegment],
  ["rbac.authorization.k8s.io/ClusterRoleBinding", pathSegment],
  // certificates: ValidateCertificateRequestName accepts any name; the storage key still needs a path segment
  ["certificates.k8s.io/CertificateSigningRequest", pathSegment],
]);

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

/** What is wrong with `name` as the metadata.name of an apiVersion/kind, or undefined when kube-apiserver accepts it. */
export function objectNameProblem(apiVersion: string, kind: string, name: unknown): string | undefined {
  const rule = nameRules.get(`${groupOf(apiVersion)}/${kind}`) ?? dnsSubdomain;
  if (typeof name !== "string" || name === "")
    return `metadata.name is missing: give the ${kind} a name that is ${rule.describe}`;
  if (rule.valid(name)) return undefined;
  return `metadata.name ${JSON.stringify(name)} is not a valid ${kind} name: it must be ${rule.describe}`;
}
