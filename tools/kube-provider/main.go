// Command pulumi-resource-kubernetes is Pledge's offline stand-in for the
// upstream Pulumi Kubernetes provider plugin. The engine launches it like any
// resource plugin; it serves the gRPC ResourceProvider protocol that the
// @pulumi/kubernetes Node SDK drives, against real kube-apiservers.
package main

import (
	"fmt"
	"os"

	"github.com/go-logr/logr"
	"k8s.io/klog/v2"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is what GetPluginInfo reports. It must match the @pulumi/kubernetes
// SDK version, because the engine looks the plugin up by that version; the
// build sets it with -ldflags "-X main.version=...".
var version = "4.34.2"

func main() {
	// client-go reports some errors through klog on stderr, which the engine
	// would print into the user's console; the provider returns errors itself.
	klog.SetLogger(logr.Discard())
	err := provider.Main("kubernetes", func(host *provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return newKubeProvider(host, version), nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
