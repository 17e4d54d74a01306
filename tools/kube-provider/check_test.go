package main

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var (
	deploymentGVK = schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}
	configMapGVK  = schema.GroupVersionKind{Version: "v1", Kind: "ConfigMap"}
	namespaceGVK  = schema.GroupVersionKind{Version: "v1", Kind: "Namespace"}
	secretGVK     = schema.GroupVersionKind{Version: "v1", Kind: "Secret"}
	serviceGVK    = schema.GroupVersionKind{Version: "v1", Kind: "Service"}
)

func TestCheckAutoNames(t *testing.T) {
	news := obj(map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "data": map[string]any{"a": "b"}})
	failures := checkInputs(configMapGVK, news, nil, "settings", []byte("seed"), "urn")
	if len(failures) > 0 {
		t.Fatalf("unexpected failures %v", failurePaths(failures))
	}
	name, _, _ := lookupString(news, "metadata", "name")
	if !regexp.MustCompile(`^settings-[0-9a-f]{8}$`).MatchString(name) {
		t.Fatalf("auto name %q", name)
	}
	if flag, _, _ := lookupString(news, "metadata", "annotations", autonamedAnnotation); flag != "true" {
		t.Fatal("auto-named object is not annotated")
	}

	// Same seed (preview, then update) => same name.
	again := obj(map[string]any{"apiVersion": "v1", "kind": "ConfigMap"})
	checkInputs(configMapGVK, again, nil, "settings", []byte("seed"), "urn")
	if n, _, _ := lookupString(again, "metadata", "name"); n != name {
		t.Fatalf("second check named it %q, first %q", n, name)
	}

	// A later update (new seed) keeps the name recorded in the old inputs.
	later := obj(map[string]any{"apiVersion": "v1", "kind": "ConfigMap"})
	checkInputs(configMapGVK, later, news, "settings", []byte("other seed"), "urn")
	if n, _, _ := lookupString(later, "metadata", "name"); n != name {
		t.Fatalf("update renamed %q to %q", name, n)
	}
}

func TestCheckKeepsExplicitName(t *testing.T) {
	news := obj(map[string]any{"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{"name": "web", "namespace": "team-a"}})
	// An old explicit name (no annotation) must not be reused when the program drops it.
	if fs := checkInputs(deploymentGVK, news, nil, "web", []byte("s"), "urn"); len(fs) > 0 {
		t.Fatalf("unexpected failures %v", failurePaths(fs))
	}
	if n, _, _ := lookupString(news, "metadata", "name"); n != "web" {
		t.Fatalf("name changed to %q", n)
	}
	if _, ok, _ := lookupString(news, "metadata", "annotations", autonamedAnnotation); ok {
		t.Fatal("explicitly named object got the autonamed annotation")
	}
	dropped := obj(map[string]any{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": map[string]any{"namespace": "team-a"}})
	checkInputs(deploymentGVK, dropped, news, "web", []byte("s"), "urn")
	if n, _, _ := lookupString(dropped, "metadata", "name"); n == "web" {
		t.Fatal("reused an explicit old name for an auto-named object")
	}
}

func TestCheckFillsTypeFields(t *testing.T) {
	news := obj(map[string]any{"metadata": map[string]any{"name": "x"}})
	checkInputs(deploymentGVK, news, nil, "x", nil, "urn")
	if av, _, _ := lookupString(news, "apiVersion"); av != "apps/v1" {
		t.Fatalf("apiVersion = %q", av)
	}
	if k, _, _ := lookupString(news, "kind"); k != "Deployment" {
		t.Fatalf("kind = %q", k)
	}
}

func TestCheckFailures(t *testing.T) {
	cases := []struct {
		name   string
		gvk    schema.GroupVersionKind
		inputs map[string]any
		paths  []string
		reason string
	}{
		{"wrong apiVersion", deploymentGVK, map[string]any{"apiVersion": "apps/v1beta1", "kind": "Deployment", "metadata": map[string]any{"name": "a"}},
			[]string{"apiVersion"}, "requires \"apps/v1\""},
		{"wrong kind", deploymentGVK, map[string]any{"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": map[string]any{"name": "a"}},
			[]string{"kind"}, "requires \"Deployment\""},
		{"bad generated name", configMapGVK, map[string]any{"metadata": map[string]any{}},
			[]string{"metadata.name"}, "generated name"},
		{"bad name", configMapGVK, map[string]any{"metadata": map[string]any{"name": "Bad_Name"}},
			[]string{"metadata.name"}, "not a valid ConfigMap name"},
		{"namespace name is a label", namespaceGVK, map[string]any{"metadata": map[string]any{"name": "a.b"}},
			[]string{"metadata.name"}, "not a valid Namespace name"},
		{"service name is DNS-1035", serviceGVK, map[string]any{"metadata": map[string]any{"name": "1web"}},
			[]string{"metadata.name"}, "not a valid Service name"},
		{"bad namespace", configMapGVK, map[string]any{"metadata": map[string]any{"name": "a", "namespace": "Team_A"}},
			[]string{"metadata.namespace"}, "not a valid namespace"},
		{"bad label value", configMapGVK, map[string]any{"metadata": map[string]any{"name": "a", "labels": map[string]any{"app": "has space"}}},
			[]string{"metadata.labels.app"}, "not a valid label value"},
		{"bad annotation key", configMapGVK, map[string]any{"metadata": map[string]any{"name": "a", "annotations": map[string]any{"a b": "x"}}},
			[]string{`metadata.annotations["a b"]`}, "not a valid annotation key"},
		{"non-string annotation", configMapGVK, map[string]any{"metadata": map[string]any{"name": "a", "annotations": map[string]any{"n": 3}}},
			[]string{"metadata.annotations.n"}, "must be strings"},
		{"secret data not base64", secretGVK, map[string]any{"metadata": map[string]any{"name": "a"}, "data": map[string]any{"pw": "not base64!"}},
			[]string{"data.pw"}, "base64"},
		{"metadata not an object", configMapGVK, map[string]any{"metadata": "x"},
			[]string{"metadata"}, "must be an object"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := checkInputs(c.gvk, obj(c.inputs), nil, "myConfig", []byte("s"), "urn")
			if got := failurePaths(fs); !slices.Equal(got, c.paths) {
				t.Fatalf("failure paths %v, want %v", got, c.paths)
			}
			if !strings.Contains(fs[0].GetReason(), c.reason) {
				t.Fatalf("reason %q does not mention %q", fs[0].GetReason(), c.reason)
			}
		})
	}
}

func TestCheckSecretReasonHidesValue(t *testing.T) {
	news := obj(map[string]any{"metadata": map[string]any{"name": "a"}})
	news["data"] = resource.MakeSecret(resource.NewObjectProperty(obj(map[string]any{"pw": "hunter2!"})))
	fs := checkInputs(secretGVK, news, nil, "r", nil, "urn")
	if len(fs) != 1 || strings.Contains(fs[0].GetReason(), "hunter2") {
		t.Fatalf("failures %v", fs)
	}
}

func TestCheckToleratesUnknowns(t *testing.T) {
	// Whole metadata unknown: nothing to name or validate yet.
	news := obj(map[string]any{"apiVersion": "v1", "kind": "ConfigMap"})
	news["metadata"] = unknown
	if fs := checkInputs(configMapGVK, news, nil, "r", nil, "urn"); len(fs) > 0 {
		t.Fatalf("failures %v", failurePaths(fs))
	}
	if !news["metadata"].IsComputed() {
		t.Fatal("unknown metadata was replaced")
	}
	// Unknown name and label values: no auto name, no failures.
	news = obj(map[string]any{"metadata": map[string]any{"labels": map[string]any{}}})
	meta := news["metadata"].ObjectValue()
	meta["name"] = unknown
	meta["labels"].ObjectValue()["app"] = unknown
	if fs := checkInputs(configMapGVK, news, nil, "r", nil, "urn"); len(fs) > 0 {
		t.Fatalf("failures %v", failurePaths(fs))
	}
	if !meta["name"].IsComputed() {
		t.Fatal("unknown name was replaced by an auto name")
	}
}
