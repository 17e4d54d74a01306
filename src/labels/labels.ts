// Kubernetes label keys and values, with the exact apimachinery rules
// (k8s.io/apimachinery/pkg/util/validation: IsQualifiedName, IsValidLabelValue),
// so a fleet label accepted here is accepted by every real cluster too.

export type Labels = Readonly<Record<string, string>>;

const NAME_MAX = 63;
const PREFIX_MAX = 253;
const VALUE_MAX = 63;
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS-1123 label (names of clusters, teams, promises, namespaces): lowercase alphanumerics and '-', at most 63. */
export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** A DNS-1123 subdomain (most Kubernetes object names): dot-separated labels, at most 253. */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= PREFIX_MAX && DNS1123_SUBDOMAIN.test(value);
}

/** A message saying what is wrong with `key` as a label key, or undefined if it is valid. */
export function validateLabelKey(key: string): string | undefined {
  const parts = key.split("/");
  if (parts.length > 2) {
    return `label key "${key}" may contain at most one "/" (an optional prefix such as "example.com/" before the name)`;
  }
  const [prefix, name] = parts.length === 2 ? [parts[0] ?? "", parts[1] ?? ""] : [undefined, key];
  if (prefix !== undefined) {
    if (prefix === "") return `label key "${key}" has an empty prefix before "/"`;
    if (prefix.length > PREFIX_MAX) {
      return `label key "${key}" has a prefix of ${prefix.length} characters; at most ${PREFIX_MAX} are allowed`;
    }
    if (!DNS1123_SUBDOMAIN.test(prefix)) {
      return `label key "${key}" has prefix "${prefix}", which must be a lowercase DNS subdomain such as "example.com"`;
    }
  }
  if (name === "") return `label key "${key}" has an empty name`;
  if (name.length > NAME_MAX) {
    return `label key "${key}" has a name of ${name.length} characters; at most ${NAME_MAX} are allowed`;
  }
  if (!NAME.test(name)) {
    return `label key "${key}" must use only letters, digits, "-", "_" and ".", and start and end with a letter or digit`;
  }
  return undefined;
}

/** A message saying what is wrong with `value` as a label value, or undefined if it is valid. */
export function validateLabelValue(value: string): string | undefined {
  if (value.length > VALUE_MAX) {
    return `label value "${value}" has ${value.length} characters; at most ${VALUE_MAX} are allowed`;
  }
  if (!VALUE.test(value)) {
    return `label value "${value}" must be empty or use only letters, digits, "-", "_" and ".", and start and end with a letter or digit`;
  }
  return undefined;
}

/** The label's value, or undefined when absent. Own properties only: "constructor" is a valid key. */
export function labelValue(labels: Labels, key: string): string | undefined {
  return Object.hasOwn(labels, key) ? labels[key] : undefined;
}
