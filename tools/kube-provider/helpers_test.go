package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// obj builds a property map from a JSON-like literal.
func obj(m map[string]any) resource.PropertyMap { return resource.NewPropertyMapFromMap(m) }

var unknown = resource.MakeComputed(resource.NewStringProperty(""))

func failurePaths(fs []*pulumirpc.CheckFailure) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.GetProperty())
	}
	return out
}
