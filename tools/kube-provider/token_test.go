package main

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"
)

func TestGVKFromToken(t *testing.T) {
	cases := []struct {
		token string
		want  schema.GroupVersionKind
	}{
		{"kubernetes:core/v1:Namespace", schema.GroupVersionKind{Version: "v1", Kind: "Namespace"}},
		{"kubernetes:core/v1:ConfigMap", schema.GroupVersionKind{Version: "v1", Kind: "ConfigMap"}},
		{"kubernetes:v1:Widget", schema.GroupVersionKind{Version: "v1", Kind: "Widget"}},
		{"kubernetes:apps/v1:Deployment", schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}},
		{"kubernetes:rbac.authorization.k8s.io/v1:Role", schema.GroupVersionKind{Group: "rbac.authorization.k8s.io", Version: "v1", Kind: "Role"}},
		{"kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", schema.GroupVersionKind{Group: "apiextensions.k8s.io", Version: "v1", Kind: "CustomResourceDefinition"}},
		{"kubernetes:example.com/v1alpha1:Widget", schema.GroupVersionKind{Group: "example.com", Version: "v1alpha1", Kind: "Widget"}},
	}
	for _, c := range cases {
		got, err := gvkFromToken(c.token)
		if err != nil {
			t.Errorf("%s: unexpected error %v", c.token, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s: got %v, want %v", c.token, got, c.want)
		}
	}
}

func TestGVKFromTokenRejects(t *testing.T) {
	cases := map[string]string{
		"kubernetes:yaml/v2:ConfigGroup":    "not supported by the offline provider",
		"kubernetes:yaml/v2:ConfigFile":     "not supported by the offline provider",
		"kubernetes:helm.sh/v4:Chart":       "not supported by the offline provider",
		"kubernetes:helm.sh/v3:Release":     "not supported by the offline provider",
		"kubernetes:kustomize/v2:Directory": "not supported by the offline provider",
		"aws:s3/bucket:Bucket":              "not a kubernetes:",
		"kubernetes:a/b/c:Kind":             "not <group>/<version>",
		"kubernetes:apps/v1:":               "empty",
	}
	for token, want := range cases {
		_, err := gvkFromToken(token)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got error %v, want one containing %q", token, err, want)
		}
	}
}

func TestObjectIDRoundTrip(t *testing.T) {
	for _, c := range []struct{ ns, name, id string }{{"team-a", "web", "team-a/web"}, {"", "prod", "prod"}} {
		if got := objectID(c.ns, c.name); got != c.id {
			t.Errorf("objectID(%q,%q) = %q, want %q", c.ns, c.name, got, c.id)
		}
		ns, name, err := parseID(c.id)
		if err != nil || ns != c.ns || name != c.name {
			t.Errorf("parseID(%q) = %q, %q, %v", c.id, ns, name, err)
		}
	}
	for _, bad := range []string{"", "a/b/c", "/x", "x/"} {
		if _, _, err := parseID(bad); err == nil {
			t.Errorf("parseID(%q) should fail", bad)
		}
	}
}
