package main

import "strings"

// The Node SDK cannot spell JSON-schema extension keys like
// "x-kubernetes-preserve-unknown-fields" as TypeScript properties, so its
// CustomResourceDefinition types use "x_kubernetes_preserve_unknown_fields".
// The API server only knows the dashed names, so they are translated on the
// way in, and back on the way out so outputs match the SDK's types.

var crdExtensionKeys = []string{
	"x-kubernetes-embedded-resource",
	"x-kubernetes-int-or-string",
	"x-kubernetes-list-map-keys",
	"x-kubernetes-list-type",
	"x-kubernetes-map-type",
	"x-kubernetes-preserve-unknown-fields",
	"x-kubernetes-validations",
}

var (
	sdkToAPIKey = map[string]string{}
	apiToSDKKey = map[string]string{}
)

func init() {
	for _, k := range crdExtensionKeys {
		sdk := strings.ReplaceAll(k, "-", "_")
		sdkToAPIKey[sdk], apiToSDKKey[k] = k, sdk
	}
}

func isCRD(group, kind string) bool {
	return group == "apiextensions.k8s.io" && kind == "CustomResourceDefinition"
}

// renameSchemaKeys rewrites extension keys throughout a CRD object. Maps
// whose keys are user-chosen names (schema properties) keep their keys.
func renameSchemaKeys(v any, table map[string]string) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			if nk, ok := table[k]; ok {
				k = nk
			}
			if userKeyed[k] {
				out[k] = renameUserKeyed(e, table)
				continue
			}
			out[k] = renameSchemaKeys(e, table)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = renameSchemaKeys(e, table)
		}
		return out
	}
	return v
}

// userKeyed are schema fields that map user-chosen names to schemas.
var userKeyed = map[string]bool{"properties": true, "patternProperties": true, "definitions": true}

func renameUserKeyed(v any, table map[string]string) any {
	m, ok := v.(map[string]any)
	if !ok {
		return renameSchemaKeys(v, table)
	}
	out := make(map[string]any, len(m))
	for k, e := range m {
		out[k] = renameSchemaKeys(e, table)
	}
	return out
}
