package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// loadKubeconfig accepts what the SDK's `kubeconfig` argument may hold: the
// kubeconfig contents (YAML or JSON), or a path (or a KUBECONFIG-style list
// of paths, which the SDK copies from the environment when the argument is
// absent). It returns the parsed config with relative file references
// resolved against the file they came from.
func loadKubeconfig(value string) (*clientcmdapi.Config, error) {
	trimmed := strings.TrimSpace(value)
	if trimmed == "" {
		return nil, errors.New("kubeconfig is empty")
	}
	var cfg *clientcmdapi.Config
	if !strings.Contains(trimmed, "\n") && !strings.HasPrefix(trimmed, "{") {
		paths := filepath.SplitList(expandHome(trimmed))
		var missing []string
		for _, p := range paths {
			if _, err := os.Stat(p); err != nil {
				missing = append(missing, p)
			}
		}
		if len(missing) > 0 {
			// Perhaps it is one-line contents after all; if not, say both things we tried.
			parsed, perr := clientcmd.Load([]byte(trimmed))
			if perr != nil || len(parsed.Clusters) == 0 {
				return nil, fmt.Errorf("kubeconfig is neither valid kubeconfig YAML/JSON contents nor an existing file (no such file: %s)",
					strings.Join(missing, ", "))
			}
			cfg = parsed
		} else {
			rules := &clientcmd.ClientConfigLoadingRules{Precedence: paths}
			loaded, err := rules.Load()
			if err != nil {
				return nil, fmt.Errorf("reading kubeconfig file %s: %w", trimmed, err)
			}
			cfg = loaded
		}
	} else {
		parsed, err := clientcmd.Load([]byte(trimmed))
		if err != nil {
			return nil, fmt.Errorf("kubeconfig is neither valid kubeconfig YAML/JSON contents nor an existing file: %w", err)
		}
		cfg = parsed
	}
	if len(cfg.Clusters) == 0 {
		return nil, errors.New("kubeconfig defines no clusters")
	}
	return cfg, nil
}

func expandHome(p string) string {
	if strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[2:])
		}
	}
	return p
}

// clusterTarget resolves which context, cluster and server a kubeconfig
// points at once the provider's `context` and `cluster` overrides apply.
func clusterTarget(cfg *clientcmdapi.Config, contextName, clusterName string) (ctxName, server, namespace string, err error) {
	ctxName = contextName
	if ctxName == "" {
		ctxName = cfg.CurrentContext
	}
	var kctx *clientcmdapi.Context
	if ctxName != "" {
		kctx = cfg.Contexts[ctxName]
		if kctx == nil {
			return "", "", "", fmt.Errorf("kubeconfig has no context %q", ctxName)
		}
	}
	if clusterName == "" && kctx != nil {
		clusterName = kctx.Cluster
	}
	if clusterName == "" {
		if len(cfg.Clusters) != 1 {
			return "", "", "", errors.New("kubeconfig has no current context; set `context` on the provider")
		}
		for name := range cfg.Clusters {
			clusterName = name
		}
	}
	cluster := cfg.Clusters[clusterName]
	if cluster == nil {
		return "", "", "", fmt.Errorf("kubeconfig has no cluster %q", clusterName)
	}
	if kctx != nil {
		namespace = kctx.Namespace
	}
	return ctxName, strings.TrimRight(cluster.Server, "/"), namespace, nil
}

// restConfig builds a client configuration for the chosen context/cluster.
func restConfig(cfg *clientcmdapi.Config, contextName, clusterName string) (*rest.Config, error) {
	overrides := &clientcmd.ConfigOverrides{CurrentContext: contextName}
	if clusterName != "" {
		overrides.Context.Cluster = clusterName
	}
	rc, err := clientcmd.NewDefaultClientConfig(*cfg, overrides).ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("building a client from kubeconfig: %w", err)
	}
	// The defaults (5 QPS) throttle a stack of a few dozen objects into
	// minutes of client-side waiting; test clusters take far more.
	rc.QPS, rc.Burst = 50, 100
	if rc.Timeout == 0 {
		// A hung API server must fail the step, not hang the whole update.
		rc.Timeout = 2 * time.Minute
	}
	rc.UserAgent = "pulumi-kubernetes-pledge/" + version
	return rc, nil
}
