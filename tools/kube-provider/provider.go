package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

// kubeProvider serves the ResourceProvider protocol for one provider
// instance (the engine starts a plugin process per provider resource).
type kubeProvider struct {
	pulumirpc.UnimplementedResourceProviderServer

	version string

	mu         sync.Mutex
	host       *provider.HostClient // nil when started without an engine (attach mode before Attach)
	cfg        providerConfig
	defaultNS  string // see resolveDefaultNamespace
	configured bool
	conn       *cluster // built lazily on first use
	connErr    error

	// canceled ends every in-flight wait when the engine calls Cancel.
	canceled context.Context
	cancel   context.CancelFunc
}

func newKubeProvider(host *provider.HostClient, version string) *kubeProvider {
	ctx, cancel := context.WithCancel(context.Background())
	return &kubeProvider{host: host, version: version, defaultNS: "default", canceled: ctx, cancel: cancel}
}

// configure stores a new configuration and drops any earlier connection.
func (p *kubeProvider) configure(cfg providerConfig) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cfg, p.configured, p.conn, p.connErr = cfg, true, nil, nil
	p.defaultNS = resolveDefaultNamespace(cfg)
}

// config returns the current configuration.
func (p *kubeProvider) config() providerConfig {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cfg
}

// defaultNamespace is where namespaced objects without metadata.namespace go.
// It is worked out from the configuration alone, so Diff agrees with Create
// even before (or without) a connection.
func (p *kubeProvider) defaultNamespace() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.defaultNS
}

// cluster returns the connection, creating it on first use.
func (p *kubeProvider) cluster() (*cluster, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.conn != nil || p.connErr != nil {
		return p.conn, p.connErr
	}
	switch {
	case !p.configured:
		p.connErr = fmt.Errorf("the kubernetes provider was not configured")
	case p.cfg.unknown:
		p.connErr = fmt.Errorf("the kubernetes provider's configuration is not known yet (it depends on outputs of other resources)")
	default:
		p.conn, p.connErr = newCluster(p.cfg)
	}
	return p.conn, p.connErr
}

// opContext merges a request context with the provider-wide cancellation.
func (p *kubeProvider) opContext(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(p.canceled, cancel)
	return ctx, func() { stop(); cancel() }
}

// logf sends a message to the engine, attached to a resource when urn is set.
func (p *kubeProvider) logf(ctx context.Context, sev diag.Severity, urn string, format string, args ...any) {
	p.mu.Lock()
	host := p.host
	p.mu.Unlock()
	if host == nil {
		return
	}
	_ = host.Log(ctx, sev, resource.URN(urn), fmt.Sprintf(format, args...))
}

// statusf sends an ephemeral progress message (shown while the step runs).
func (p *kubeProvider) statusf(ctx context.Context, urn string, format string, args ...any) {
	p.mu.Lock()
	host := p.host
	p.mu.Unlock()
	if host == nil {
		return
	}
	_ = host.LogStatus(ctx, diag.Info, resource.URN(urn), fmt.Sprintf(format, args...))
}

// Handshake announces the protocol features this provider supports.
func (p *kubeProvider) Handshake(context.Context, *pulumirpc.ProviderHandshakeRequest) (*pulumirpc.ProviderHandshakeResponse, error) {
	return &pulumirpc.ProviderHandshakeResponse{AcceptSecrets: true, AcceptResources: true}, nil
}

// Attach connects to the engine when the plugin was started in attach mode
// (PULUMI_DEBUG_PROVIDERS), so logging works there too.
func (p *kubeProvider) Attach(_ context.Context, req *pulumirpc.PluginAttach) (*emptypb.Empty, error) {
	host, err := provider.NewHostClient(req.GetAddress())
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.host = host
	p.mu.Unlock()
	return &emptypb.Empty{}, nil
}

func (p *kubeProvider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: p.version}, nil
}

// GetSchema returns a minimal valid schema. The Node SDK is pre-generated, so
// nothing in Pledge's flows needs the real one; this only keeps callers that
// ask (e.g. `pulumi package get-schema`) from crashing.
func (p *kubeProvider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: fmt.Sprintf(`{"name":"kubernetes","version":%q}`, p.version)}, nil
}

// Invoke: the functions upstream offers (Helm templating, YAML decoding for
// the v1 YAML components, ...) are not part of this provider.
func (p *kubeProvider) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	return nil, fmt.Errorf("invoke %s is not supported by Pledge's offline kubernetes provider", req.GetTok())
}

func (p *kubeProvider) Call(_ context.Context, req *pulumirpc.CallRequest) (*pulumirpc.CallResponse, error) {
	return nil, fmt.Errorf("call %s is not supported by Pledge's offline kubernetes provider", req.GetTok())
}

// Construct would build the SDK's components (yaml/v2, helm.sh/v4, ...).
func (p *kubeProvider) Construct(_ context.Context, req *pulumirpc.ConstructRequest) (*pulumirpc.ConstructResponse, error) {
	return nil, errComponentUnsupported(req.GetType())
}

// Cancel stops every wait in progress; the engine calls it on Ctrl-C.
func (p *kubeProvider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	p.cancel()
	return &emptypb.Empty{}, nil
}
