package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// providerConfig is the part of the provider's configuration this provider acts on.
type providerConfig struct {
	kubeconfig        string // contents or path; empty when not given
	hasKubeconfig     bool
	context           string
	cluster           string
	namespace         string
	clusterIdentifier string
	upsertExisting    bool
	// unknown is set during previews whose configuration depends on values
	// not computed yet; the provider then works from inputs alone.
	unknown bool
}

// configKeys the provider reads; every other key the SDK sends is accepted and ignored.
const (
	keyKubeconfig        = "kubeconfig"
	keyContext           = "context"
	keyCluster           = "cluster"
	keyNamespace         = "namespace"
	keyClusterIdentifier = "clusterIdentifier"
	keyUpsert            = "upsertExistingObjects"
	keyRenderYAML        = "renderYamlToDirectory"
)

// configFromProps reads provider inputs (Configure args or CheckConfig news).
func configFromProps(pm resource.PropertyMap) providerConfig {
	var c providerConfig
	str := func(key string) string {
		v, ok := pm[resource.PropertyKey(key)]
		if !ok {
			return ""
		}
		v = unwrap(v)
		switch {
		case v.IsComputed():
			c.unknown = true
		case v.IsString():
			return v.StringValue()
		case v.IsBool():
			return fmt.Sprint(v.BoolValue())
		}
		return ""
	}
	c.kubeconfig = str(keyKubeconfig)
	c.hasKubeconfig = c.kubeconfig != ""
	c.context = str(keyContext)
	c.cluster = str(keyCluster)
	c.namespace = str(keyNamespace)
	c.clusterIdentifier = str(keyClusterIdentifier)
	c.upsertExisting = str(keyUpsert) == "true"
	return c
}

// configFromVariables reads the older `variables` form ("kubernetes:config:<key>").
func configFromVariables(vars map[string]string) resource.PropertyMap {
	pm := resource.PropertyMap{}
	for k, v := range vars {
		key, ok := strings.CutPrefix(k, "kubernetes:config:")
		if !ok {
			continue
		}
		if v == plugin.UnknownStringValue {
			pm[resource.PropertyKey(key)] = resource.MakeComputed(resource.NewStringProperty(""))
			continue
		}
		pm[resource.PropertyKey(key)] = resource.NewStringProperty(v)
	}
	return pm
}

// CheckConfig validates the provider's inputs and returns them, with the
// kubeconfig marked secret because it usually carries credentials.
func (p *kubeProvider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	news, err := unmarshalProps(req.GetNews(), "provider inputs")
	if err != nil {
		return nil, err
	}
	failures := checkConfigFailures(news)
	if kc, ok := news[keyKubeconfig]; ok && !kc.IsNull() && !kc.IsSecret() {
		news[keyKubeconfig] = resource.MakeSecret(kc)
	}
	inputs, err := marshalProps(news, "provider inputs")
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CheckResponse{Inputs: inputs, Failures: failures}, nil
}

// checkConfigFailures lists what is wrong with provider inputs.
func checkConfigFailures(news resource.PropertyMap) []*pulumirpc.CheckFailure {
	var failures []*pulumirpc.CheckFailure
	if v, ok := news[keyRenderYAML]; ok {
		if s := unwrap(v); !s.IsNull() && !(s.IsString() && s.StringValue() == "") {
			failures = append(failures, &pulumirpc.CheckFailure{
				Property: keyRenderYAML,
				Reason: "renderYamlToDirectory is not supported by Pledge's offline kubernetes provider: " +
					"it always applies objects to a real cluster",
			})
		}
	}
	cfg := configFromProps(news)
	if kc, ok := news[keyKubeconfig]; ok && !isUnknown(kc) && cfg.hasKubeconfig {
		raw, err := loadKubeconfig(cfg.kubeconfig)
		if err == nil {
			_, _, _, err = clusterTarget(raw, cfg.context, cfg.cluster)
		}
		if err != nil {
			// No property path on purpose: the engine prints the offending
			// property's value next to it, and a kubeconfig holds credentials.
			failures = append(failures, &pulumirpc.CheckFailure{Reason: "invalid kubeconfig: " + err.Error()})
		}
	}
	return failures
}

// DiffConfig decides whether a provider change replaces every resource it
// manages. Credential rotation must never do that, so a replacement needs
// evidence of a different cluster: a changed clusterIdentifier, or (when no
// identifier is set on both sides) a changed API server URL.
func (p *kubeProvider) DiffConfig(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	oldsStruct := req.GetOldInputs()
	if oldsStruct == nil {
		oldsStruct = req.GetOlds()
	}
	olds, err := unmarshalProps(oldsStruct, "old provider inputs")
	if err != nil {
		return nil, err
	}
	news, err := unmarshalProps(req.GetNews(), "new provider inputs")
	if err != nil {
		return nil, err
	}
	return configDiff(olds, news), nil
}

// configDiff is the pure decision behind DiffConfig.
func configDiff(olds, news resource.PropertyMap) *pulumirpc.DiffResponse {
	changed := changedKeys(olds, news)
	if len(changed) == 0 {
		return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}
	}
	replaces := configReplaces(olds, news, changed)
	detailed := map[string]*pulumirpc.PropertyDiff{}
	isReplace := map[string]bool{}
	for _, k := range replaces {
		isReplace[k] = true
	}
	for _, k := range changed {
		_, inOld := olds[resource.PropertyKey(k)]
		_, inNew := news[resource.PropertyKey(k)]
		kind := pulumirpc.PropertyDiff_UPDATE
		switch {
		case !inOld:
			kind = pulumirpc.PropertyDiff_ADD
		case !inNew:
			kind = pulumirpc.PropertyDiff_DELETE
		}
		if isReplace[k] {
			kind += pulumirpc.PropertyDiff_ADD_REPLACE - pulumirpc.PropertyDiff_ADD
		}
		detailed[k] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
	}
	return &pulumirpc.DiffResponse{
		Changes:         pulumirpc.DiffResponse_DIFF_SOME,
		Diffs:           changed,
		Replaces:        replaces,
		DetailedDiff:    detailed,
		HasDetailedDiff: true,
	}
}

// changedKeys lists top-level keys whose values differ (secrets compared by content).
func changedKeys(olds, news resource.PropertyMap) []string {
	keys := map[string]bool{}
	for k := range olds {
		keys[string(k)] = true
	}
	for k := range news {
		keys[string(k)] = true
	}
	var changed []string
	for k := range keys {
		o, inOld := olds[resource.PropertyKey(k)]
		n, inNew := news[resource.PropertyKey(k)]
		if inOld && inNew && valuesEqual(o, n) {
			continue
		}
		if !inOld && unwrap(n).IsNull() || !inNew && unwrap(o).IsNull() {
			continue
		}
		changed = append(changed, k)
	}
	sort.Strings(changed)
	return changed
}

// configReplaces returns the keys that force a provider replacement.
func configReplaces(olds, news resource.PropertyMap, changed []string) []string {
	oldCfg, newCfg := configFromProps(olds), configFromProps(news)
	oldID, oldIDKnown := knownString(olds, keyClusterIdentifier)
	newID, newIDKnown := knownString(news, keyClusterIdentifier)
	if oldID != "" && newID != "" || !newIDKnown || !oldIDKnown {
		// Both sides name their cluster: that name alone decides. An unknown
		// identifier (preview) is assumed unchanged; the update re-diffs with
		// the real value.
		if oldIDKnown && newIDKnown && oldID != newID {
			return []string{keyClusterIdentifier}
		}
		return nil
	}
	targetKeys := []string{keyKubeconfig, keyContext, keyCluster}
	targetChanged := false
	for _, k := range changed {
		for _, t := range targetKeys {
			if k == t {
				targetChanged = true
			}
		}
	}
	if !targetChanged || oldCfg.unknown || newCfg.unknown {
		return nil
	}
	oldServer, errOld := serverOf(oldCfg)
	newServer, errNew := serverOf(newCfg)
	if errOld != nil || errNew != nil || oldServer == newServer {
		// Without proof of a different cluster, keep the resources: a wrong
		// "update" is recoverable, a wrong replacement deletes workloads.
		return nil
	}
	var replaces []string
	for _, k := range changed {
		for _, t := range targetKeys {
			if k == t {
				replaces = append(replaces, k)
			}
		}
	}
	return replaces
}

// knownString returns a config string; known is false if it is unknown.
func knownString(pm resource.PropertyMap, key string) (s string, known bool) {
	v, ok := pm[resource.PropertyKey(key)]
	if !ok {
		return "", true
	}
	v = unwrap(v)
	if v.IsComputed() {
		return "", false
	}
	if v.IsString() {
		return v.StringValue(), true
	}
	return "", true
}

// serverOf returns the API server URL a configuration targets.
func serverOf(c providerConfig) (string, error) {
	kc := c.kubeconfig
	if kc == "" {
		kc = os.Getenv("KUBECONFIG")
	}
	raw, err := loadKubeconfig(kc)
	if err != nil {
		return "", err
	}
	_, server, _, err := clusterTarget(raw, c.context, c.cluster)
	return server, err
}

// Configure records the provider configuration and connects lazily: a
// missing or unreachable cluster is reported by the first call that needs it,
// so previews still work from inputs alone.
func (p *kubeProvider) Configure(_ context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	var pm resource.PropertyMap
	if req.GetArgs() != nil {
		var err error
		if pm, err = unmarshalProps(req.GetArgs(), "provider configuration"); err != nil {
			return nil, err
		}
	} else {
		pm = configFromVariables(req.GetVariables())
	}
	cfg := configFromProps(pm)
	if !cfg.hasKubeconfig && !cfg.unknown {
		// Only the environment, never ~/.kube/config: on shared machines a
		// silent fallback could point a stack at somebody else's cluster.
		if env := os.Getenv("KUBECONFIG"); env != "" {
			cfg.kubeconfig, cfg.hasKubeconfig = env, true
		}
	}
	p.configure(cfg)
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true, AcceptResources: true}, nil
}
