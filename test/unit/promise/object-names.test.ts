// metadata.name as kube-apiserver checks it, per kind: the rules read as a table,
// each row a name the API server accepts or refuses for that kind.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { manifestProblems, type Manifest } from "../../../src/promise/manifest";
import { objectNameProblem } from "../../../src/promise/object-names";

const subdomain =
  "a DNS subdomain (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters)";
const label =
  "a DNS label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)";
const dns1035 =
  "a DNS-1035 label (lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most 63 characters)";
const pathSegment = "a path segment (any text but \".\" and \"..\", without '/' or '%')";
const cronJob =
  "a DNS subdomain of at most 52 characters (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit; the controller adds 11 to name each Job)";

const rbac = "rbac.authorization.k8s.io/v1";

/** [apiVersion, kind, name, what would be right (undefined: accepted)] */
const rules: [string, string, string, string | undefined][] = [
  // RBAC names are path segments: colons, capitals, anything but "/", "%", "." and "..".
  [rbac, "ClusterRole", "cert-manager-controller-approve:cert-manager-io", undefined],
  [rbac, "ClusterRole", "system:aggregate-to-admin", undefined],
  [rbac, "ClusterRoleBinding", "Crossplane:Admin", undefined],
  [rbac, "Role", "kubevela:vela-core:leader-election", undefined],
  [rbac, "RoleBinding", "a b", undefined],
  [rbac, "ClusterRole", "a/b", pathSegment],
  [rbac, "Role", "100%", pathSegment],
  [rbac, "RoleBinding", "..", pathSegment],
  [rbac, "ClusterRoleBinding", ".", pathSegment],
  ["certificates.k8s.io/v1", "CertificateSigningRequest", "node-csr:Abc", undefined],
  // Namespaces are DNS labels: no dots, at most 63.
  ["v1", "Namespace", "team-web", undefined],
  ["v1", "Namespace", "team.web", label],
  ["v1", "Namespace", "n".repeat(64), label],
  // Services are DNS-1035 labels: they start with a letter.
  ["v1", "Service", "redis-master", undefined],
  ["v1", "Service", "1redis", dns1035],
  ["v1", "Service", "redis.master", dns1035],
  ["apps/v1", "StatefulSet", "redis", undefined],
  ["apps/v1", "StatefulSet", "redis.node", label],
  ["batch/v1", "CronJob", "c".repeat(52), undefined],
  ["batch/v1", "CronJob", "c".repeat(53), cronJob],
  // Everything else is a DNS subdomain: dots allowed, at most 253, nothing uppercase.
  ["v1", "ConfigMap", "cert-manager.io", undefined],
  ["v1", "ConfigMap", "1-starts-with-a-digit", undefined],
  ["v1", "ConfigMap", "Not_Valid", subdomain],
  ["v1", "ConfigMap", "a:b", subdomain],
  ["v1", "ConfigMap", "s".repeat(254), subdomain],
  ["apps/v1", "Deployment", "web.v2", undefined],
  // A kind of the same name in another group is not RBAC: a custom resource, a DNS subdomain
  // (apiextensions-apiserver validates custom resources' names with NameIsDNSSubdomain).
  ["example.com/v1", "ClusterRole", "a:b", subdomain],
  ["example.com/v1", "Service", "1redis", undefined],
  ["redis.example.com/v1", "Redis", "cache.eu", undefined],
  ["redis.example.com/v1", "Redis", "Cache", subdomain],
];

describe("object names follow kube-apiserver's rule for their kind", () => {
  const shown = (name: string) => (name.length > 40 ? `of ${name.length} characters` : JSON.stringify(name));
  for (const [apiVersion, kind, name, right] of rules) {
    it(`${right ? "refuses" : "accepts"} ${apiVersion} ${kind} ${shown(name)}`, () => {
      const expected = right && `metadata.name ${JSON.stringify(name)} is not a valid ${kind} name: it must be ${right}`;
      assert.equal(objectNameProblem(apiVersion, kind, name), expected);
    });
  }

  it("names the kind and the rule when the name is missing", () => {
    assert.equal(
      objectNameProblem(rbac, "ClusterRole", undefined),
      `metadata.name is missing: give the ClusterRole a name that is ${pathSegment}`,
    );
    assert.equal(
      objectNameProblem("v1", "ConfigMap", ""),
      `metadata.name is missing: give the ConfigMap a name that is ${subdomain}`,
    );
  });

  it("manifestProblems checks the name by the manifest's kind", () => {
    const manifest = (apiVersion: string, kind: string, name: string) => ({ apiVersion, kind, metadata: { name } }) as Manifest;
    assert.deepEqual(manifestProblems(manifest(rbac, "ClusterRole", "cert-manager-controller-approve:cert-manager-io")), []);
    assert.deepEqual(manifestProblems(manifest("v1", "ConfigMap", "a:b")), [
      `metadata.name "a:b" is not a valid ConfigMap name: it must be ${subdomain}`,
    ]);
    assert.deepEqual(manifestProblems({ metadata: { name: "a:b" } } as Manifest), [
      "apiVersion is missing",
      "kind is missing",
      `metadata.name "a:b" is not a valid object name: it must be ${subdomain}`,
    ]);
  });
});
