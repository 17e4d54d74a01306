// Command pulumi-resource-kubernetes is the upstream Pulumi Kubernetes provider
// (github.com/pulumi/pulumi-kubernetes v4.25.0), built from the Go module proxy.
//
// Upstream's own main package embeds schema-embed.json and
// terraform-mapping-embed.json, which upstream generates and gitignores, so the
// module zip cannot be built as is. tools/lib/toolchain.mjs generates the same
// two files from the module's committed schema.json and terraform-mapping.json
// (stamping the version, as upstream's generate.go does) into this directory
// before the build; they are gitignored here too. This file only calls the
// provider's public entry point, exactly as upstream's main does.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}
