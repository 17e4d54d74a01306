// Names every part of the config shares: where a value came from, and the
// DNS-label rule for names that become Kubernetes names.
import { isDnsLabel } from "../labels/labels";

/** Where a value came from, for messages: `pledge:clusters[2]`, `requests/team-a.yaml: requests[0]`. */
export interface AtPath {
  configPath: string;
}

export function dnsLabelProblem(value: string): string | undefined {
  if (!isDnsLabel(value))
    return `${JSON.stringify(value)} must be a DNS label: lowercase letters, digits and '-', starting and ending alphanumeric, at most 63 characters`;
  return undefined;
}
