package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/restmapper"
)

// cluster is a connection to one API server: a dynamic client for objects
// and a discovery-backed RESTMapper to turn kinds into resources.
type cluster struct {
	server           string
	defaultNamespace string
	dynamic          dynamic.Interface
	mapper           *restmapper.DeferredDiscoveryRESTMapper

	resetMu   sync.Mutex
	lastReset time.Time
}

// newCluster connects to the cluster a configuration points at. It does not
// talk to the server yet; the first mapping does.
func newCluster(cfg providerConfig) (*cluster, error) {
	if !cfg.hasKubeconfig {
		return nil, fmt.Errorf("no kubeconfig: set `kubeconfig` on the kubernetes Provider (or KUBECONFIG in the environment)")
	}
	raw, err := loadKubeconfig(cfg.kubeconfig)
	if err != nil {
		return nil, err
	}
	ctxName, server, ctxNamespace, err := clusterTarget(raw, cfg.context, cfg.cluster)
	if err != nil {
		return nil, err
	}
	rc, err := restConfig(raw, ctxName, cfg.cluster)
	if err != nil {
		return nil, err
	}
	dyn, err := dynamic.NewForConfig(rc)
	if err != nil {
		return nil, fmt.Errorf("creating Kubernetes client for %s: %w", server, err)
	}
	disc, err := discovery.NewDiscoveryClientForConfig(rc)
	if err != nil {
		return nil, fmt.Errorf("creating discovery client for %s: %w", server, err)
	}
	return &cluster{
		server:           server,
		defaultNamespace: namespaceOr(cfg.namespace, ctxNamespace),
		dynamic:          dyn,
		mapper:           restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(disc)),
	}, nil
}

// resolveDefaultNamespace: the provider's `namespace`, else the namespace of
// the kubeconfig context in use (as kubectl would), else "default".
func resolveDefaultNamespace(cfg providerConfig) string {
	if cfg.namespace != "" || !cfg.hasKubeconfig {
		return namespaceOr(cfg.namespace, "")
	}
	raw, err := loadKubeconfig(cfg.kubeconfig)
	if err != nil {
		return "default"
	}
	_, _, ctxNamespace, err := clusterTarget(raw, cfg.context, cfg.cluster)
	if err != nil {
		return "default"
	}
	return namespaceOr("", ctxNamespace)
}

func namespaceOr(configured, fromContext string) string {
	switch {
	case configured != "":
		return configured
	case fromContext != "":
		return fromContext
	}
	return "default"
}

// resetMapper forgets cached discovery, at most once every two seconds: many
// resources waiting for the same new CRD must not each re-run full discovery.
func (c *cluster) resetMapper(force bool) {
	c.resetMu.Lock()
	defer c.resetMu.Unlock()
	if !force && time.Since(c.lastReset) < 2*time.Second {
		return
	}
	c.mapper.Reset()
	c.lastReset = time.Now()
}

// kindWait is how long mapping waits for a kind to appear in discovery.
// Variable so tests can shorten it.
var kindWait = 60 * time.Second

// mapping resolves a kind to its resource. A kind missing from discovery is
// often one whose CRD was created a moment ago, so the provider re-discovers
// and retries for up to kindWait before giving up.
func (c *cluster) mapping(ctx context.Context, gvk schema.GroupVersionKind, wait time.Duration) (*meta.RESTMapping, error) {
	deadline := time.Now().Add(wait)
	for {
		m, err := c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		if err == nil {
			return m, nil
		}
		if !meta.IsNoMatchError(err) {
			return nil, fmt.Errorf("cannot look up %s %s on %s (is the cluster reachable?): %w",
				apiVersionOf(gvk.GroupVersion()), gvk.Kind, c.server, err)
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("the cluster at %s does not serve kind %q in apiVersion %q "+
				"(no such resource in API discovery; is its CustomResourceDefinition installed?)",
				c.server, gvk.Kind, apiVersionOf(gvk.GroupVersion()))
		}
		c.resetMapper(false)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// resourceFor returns the client for one kind, scoped to a namespace when the
// kind is namespaced, together with whether it is.
func (c *cluster) resourceFor(m *meta.RESTMapping, namespace string) dynamic.ResourceInterface {
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		return c.dynamic.Resource(m.Resource).Namespace(namespace)
	}
	return c.dynamic.Resource(m.Resource)
}

func namespaced(m *meta.RESTMapping) bool { return m.Scope.Name() == meta.RESTScopeNameNamespace }
