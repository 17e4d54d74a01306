package main

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
)

// providerType is the token of the provider resource itself.
const providerType = "pulumi:providers:kubernetes"

// componentModules are the SDK's multi-resource components (YAML, Helm,
// Kustomize). Upstream implements them inside the provider by rendering
// manifests; that needs Helm and friends, which this offline provider does
// not carry, so they are refused with a clear message instead of failing
// somewhere deep inside the engine.
var componentModules = []string{"yaml", "helm.sh", "kustomize"}

// isComponentToken reports whether token names one of the SDK's components.
func isComponentToken(token string) bool {
	parts := strings.SplitN(token, ":", 3)
	if len(parts) != 3 || parts[0] != "kubernetes" {
		return false
	}
	module := parts[1]
	for _, m := range componentModules {
		if module == m || strings.HasPrefix(module, m+"/") {
			return true
		}
	}
	return false
}

func errComponentUnsupported(token string) error {
	return fmt.Errorf("%s is not supported by the offline provider (Pledge's kubernetes provider "+
		"serves plain Kubernetes objects only; YAML, Helm and Kustomize components need the upstream provider)", token)
}

// gvkFromToken turns a resource type token into the GroupVersionKind it manages.
//
//	kubernetes:core/v1:Namespace          -> /v1, Kind=Namespace
//	kubernetes:apps/v1:Deployment         -> apps/v1, Kind=Deployment
//	kubernetes:v1:Widget                  -> /v1, Kind=Widget (CustomResource with apiVersion "v1")
//	kubernetes:example.com/v1:Widget      -> example.com/v1, Kind=Widget
func gvkFromToken(token string) (schema.GroupVersionKind, error) {
	parts := strings.Split(token, ":")
	if len(parts) != 3 || parts[0] != "kubernetes" {
		return schema.GroupVersionKind{}, fmt.Errorf("resource type %q is not a kubernetes:<group>/<version>:<Kind> token", token)
	}
	if isComponentToken(token) {
		return schema.GroupVersionKind{}, errComponentUnsupported(token)
	}
	module, kind := parts[1], parts[2]
	if kind == "" || module == "" {
		return schema.GroupVersionKind{}, fmt.Errorf("resource type %q has an empty module or kind", token)
	}
	gv, err := groupVersionFromModule(module)
	if err != nil {
		return schema.GroupVersionKind{}, fmt.Errorf("resource type %q: %w", token, err)
	}
	return gv.WithKind(kind), nil
}

// groupVersionFromModule parses a token module ("core/v1", "apps/v1", "v1").
// The SDK writes the core group as "core", which is not its real (empty) name.
func groupVersionFromModule(module string) (schema.GroupVersion, error) {
	group, version, found := strings.Cut(module, "/")
	if !found {
		group, version = "", module
	}
	if group == "core" {
		group = ""
	}
	if version == "" || strings.Contains(version, "/") {
		return schema.GroupVersion{}, fmt.Errorf("module %q is not <group>/<version>", module)
	}
	return schema.GroupVersion{Group: group, Version: version}, nil
}

// apiVersionOf renders a GroupVersion the way manifests write it ("v1", "apps/v1").
func apiVersionOf(gv schema.GroupVersion) string { return gv.String() }

// describe names an object for messages: "Deployment team-a/web", "Namespace prod".
func describe(kind, namespace, name string) string {
	if namespace == "" {
		return kind + " " + name
	}
	return kind + " " + namespace + "/" + name
}

// objectID is the resource ID the provider reports: "namespace/name" for
// namespaced objects, "name" for cluster-scoped ones.
func objectID(namespace, name string) string {
	if namespace == "" {
		return name
	}
	return namespace + "/" + name
}

// parseID splits an ID made by objectID.
func parseID(id string) (namespace, name string, err error) {
	parts := strings.Split(id, "/")
	switch {
	case len(parts) == 1 && parts[0] != "":
		return "", parts[0], nil
	case len(parts) == 2 && parts[0] != "" && parts[1] != "":
		return parts[0], parts[1], nil
	}
	return "", "", fmt.Errorf("resource ID %q is neither <name> nor <namespace>/<name>", id)
}
