//go:build tools

// Package tools pins the Pulumi CLI (engine) that tools/setup.mjs builds.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
