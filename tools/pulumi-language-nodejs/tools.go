//go:build tools

// Package tools pins the Pulumi Node.js language host.
//
// Why sdk/v3 v3.68.0: since v3.69 the language host is its own module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3), which has
// no tags and whose pseudo-versions the module proxy refuses
// ("403 Forbidden: This module version is not available"). v3.68.0 is the last
// release that ships the host inside sdk/v3. The engine (v3.259) falls back to
// the older RPCs this host implements (GetRequiredPlugins instead of
// GetRequiredPackages), and the Node SDK's run script still takes the same
// arguments, so programs run unchanged. See docs/toolchain.md.
package tools

import (
	_ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
)
