package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// kubeconfigFor renders a kubeconfig with two contexts on two servers and a token.
func kubeconfigFor(server, token string) string {
	return `apiVersion: v1
kind: Config
clusters:
- name: one
  cluster: {server: "` + server + `", insecure-skip-tls-verify: true}
- name: two
  cluster: {server: "https://10.9.9.9:6443", insecure-skip-tls-verify: true}
users:
- name: u
  user: {token: ` + token + `}
contexts:
- name: one
  context: {cluster: one, user: u, namespace: ctx-ns}
- name: two
  context: {cluster: two, user: u}
current-context: one
`
}

func providerInputs(kv map[string]any) resource.PropertyMap {
	pm := obj(kv)
	if v, ok := pm[keyKubeconfig]; ok {
		pm[keyKubeconfig] = resource.MakeSecret(v) // as CheckConfig leaves it in state
	}
	return pm
}

func TestConfigDiff(t *testing.T) {
	a := kubeconfigFor("https://127.0.0.1:6443", "old-token")
	rotated := kubeconfigFor("https://127.0.0.1:6443", "new-token")
	moved := kubeconfigFor("https://127.0.0.1:7443", "old-token")
	cases := []struct {
		name       string
		olds, news map[string]any
		changes    pulumirpc.DiffResponse_DiffChanges
		replaces   []string
	}{
		{"identical", map[string]any{"kubeconfig": a, "clusterIdentifier": "c1"}, map[string]any{"kubeconfig": a, "clusterIdentifier": "c1"},
			pulumirpc.DiffResponse_DIFF_NONE, nil},
		{"rotation with identifier", map[string]any{"kubeconfig": a, "clusterIdentifier": "c1"}, map[string]any{"kubeconfig": rotated, "clusterIdentifier": "c1"},
			pulumirpc.DiffResponse_DIFF_SOME, nil},
		{"new server with same identifier stays", map[string]any{"kubeconfig": a, "clusterIdentifier": "c1"}, map[string]any{"kubeconfig": moved, "clusterIdentifier": "c1"},
			pulumirpc.DiffResponse_DIFF_SOME, nil},
		{"context switch with same identifier stays", map[string]any{"kubeconfig": a, "clusterIdentifier": "c1"}, map[string]any{"kubeconfig": a, "context": "two", "clusterIdentifier": "c1"},
			pulumirpc.DiffResponse_DIFF_SOME, nil},
		{"identifier change replaces", map[string]any{"kubeconfig": a, "clusterIdentifier": "c1"}, map[string]any{"kubeconfig": a, "clusterIdentifier": "c2"},
			pulumirpc.DiffResponse_DIFF_SOME, []string{"clusterIdentifier"}},
		{"rotation without identifier", map[string]any{"kubeconfig": a}, map[string]any{"kubeconfig": rotated},
			pulumirpc.DiffResponse_DIFF_SOME, nil},
		{"new server without identifier replaces", map[string]any{"kubeconfig": a}, map[string]any{"kubeconfig": moved},
			pulumirpc.DiffResponse_DIFF_SOME, []string{"kubeconfig"}},
		{"context to another server replaces", map[string]any{"kubeconfig": a}, map[string]any{"kubeconfig": a, "context": "two"},
			pulumirpc.DiffResponse_DIFF_SOME, []string{"context"}},
		{"naming the current context is no move", map[string]any{"kubeconfig": a}, map[string]any{"kubeconfig": a, "context": "one"},
			pulumirpc.DiffResponse_DIFF_SOME, nil},
		{"namespace change updates", map[string]any{"kubeconfig": a, "namespace": "x"}, map[string]any{"kubeconfig": a, "namespace": "y"},
			pulumirpc.DiffResponse_DIFF_SOME, nil},
		{"adding an identifier alone does not replace", map[string]any{"kubeconfig": a}, map[string]any{"kubeconfig": a, "clusterIdentifier": "c1"},
			pulumirpc.DiffResponse_DIFF_SOME, nil},
		{"unreadable old kubeconfig never replaces", map[string]any{"kubeconfig": "/nonexistent/kubeconfig"}, map[string]any{"kubeconfig": moved},
			pulumirpc.DiffResponse_DIFF_SOME, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := configDiff(providerInputs(c.olds), obj(c.news))
			if resp.GetChanges() != c.changes {
				t.Fatalf("changes = %v, want %v", resp.GetChanges(), c.changes)
			}
			if !slices.Equal(resp.GetReplaces(), c.replaces) {
				t.Fatalf("replaces = %v, want %v", resp.GetReplaces(), c.replaces)
			}
			for _, k := range resp.GetReplaces() {
				if resp.GetDetailedDiff()[k].GetKind() < pulumirpc.PropertyDiff_ADD_REPLACE {
					t.Fatalf("detailed diff for %s is not a replace: %v", k, resp.GetDetailedDiff())
				}
			}
			if c.changes == pulumirpc.DiffResponse_DIFF_SOME && len(resp.GetDiffs()) == 0 {
				t.Fatal("DIFF_SOME without changed keys")
			}
		})
	}
}

func TestConfigDiffUnknowns(t *testing.T) {
	a := kubeconfigFor("https://127.0.0.1:6443", "t")
	news := obj(map[string]any{"clusterIdentifier": "c1"})
	news[keyKubeconfig] = unknown
	resp := configDiff(providerInputs(map[string]any{"kubeconfig": a, "clusterIdentifier": "c1"}), news)
	if len(resp.GetReplaces()) != 0 || resp.GetChanges() != pulumirpc.DiffResponse_DIFF_SOME {
		t.Fatalf("unknown kubeconfig with same identifier: %v", resp)
	}
	news = obj(map[string]any{})
	news[keyKubeconfig] = unknown
	if resp := configDiff(providerInputs(map[string]any{"kubeconfig": a}), news); len(resp.GetReplaces()) != 0 {
		t.Fatalf("unknown kubeconfig replaced: %v", resp)
	}
}

func TestLoadKubeconfig(t *testing.T) {
	contents := kubeconfigFor("https://127.0.0.1:6443", "t")
	dir := t.TempDir()
	file := filepath.Join(dir, "config")
	if err := os.WriteFile(file, []byte(contents), 0o600); err != nil {
		t.Fatal(err)
	}
	jsonConfig := `{"apiVersion":"v1","kind":"Config","clusters":[{"name":"j","cluster":{"server":"https://127.0.0.2:1"}}],` +
		`"contexts":[{"name":"j","context":{"cluster":"j"}}],"current-context":"j"}`
	for _, value := range []string{contents, file, jsonConfig} {
		cfg, err := loadKubeconfig(value)
		if err != nil {
			t.Fatalf("loading %.30q: %v", value, err)
		}
		if _, server, _, err := clusterTarget(cfg, "", ""); err != nil || !strings.HasPrefix(server, "https://127.0.0.") {
			t.Fatalf("target of %.30q: %q, %v", value, server, err)
		}
	}
	for value, want := range map[string]string{
		"/no/such/kubeconfig":            "neither valid kubeconfig",
		"clusters: [not: valid":          "neither valid kubeconfig",
		"apiVersion: v1\nkind: Config\n": "no clusters",
		"   ":                            "empty",
	} {
		if _, err := loadKubeconfig(value); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("loadKubeconfig(%q) = %v, want error containing %q", value, err, want)
		}
	}
}

func TestClusterTarget(t *testing.T) {
	cfg, err := loadKubeconfig(kubeconfigFor("https://127.0.0.1:6443/", "t"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, server, ns, err := clusterTarget(cfg, "", "")
	if err != nil || ctx != "one" || server != "https://127.0.0.1:6443" || ns != "ctx-ns" {
		t.Fatalf("current context: %q %q %q %v", ctx, server, ns, err)
	}
	if _, server, _, _ := clusterTarget(cfg, "two", ""); server != "https://10.9.9.9:6443" {
		t.Fatalf("context override: %q", server)
	}
	if _, server, _, _ := clusterTarget(cfg, "", "two"); server != "https://10.9.9.9:6443" {
		t.Fatalf("cluster override: %q", server)
	}
	if _, _, _, err := clusterTarget(cfg, "missing", ""); err == nil {
		t.Fatal("missing context accepted")
	}
}

func TestCheckConfigFailures(t *testing.T) {
	good := obj(map[string]any{"kubeconfig": kubeconfigFor("https://127.0.0.1:6443", "t"), "enableServerSideApply": "true",
		"suppressDeprecationWarnings": "true", "deleteUnreachable": "false", "version": "4.34.2"})
	if fs := checkConfigFailures(good); len(fs) != 0 {
		t.Fatalf("good config rejected: %v", fs)
	}
	bad := obj(map[string]any{"kubeconfig": "/no/such/file"})
	if fs := checkConfigFailures(bad); len(fs) != 1 || fs[0].GetProperty() != "" || !strings.Contains(fs[0].GetReason(), "invalid kubeconfig") {
		t.Fatalf("bad kubeconfig: %v", fs)
	}
	badCtx := obj(map[string]any{"kubeconfig": kubeconfigFor("https://127.0.0.1:6443", "t"), "context": "nope"})
	if fs := checkConfigFailures(badCtx); len(fs) != 1 || !strings.Contains(fs[0].GetReason(), "nope") {
		t.Fatalf("bad context: %v", fs)
	}
	render := obj(map[string]any{"renderYamlToDirectory": "out"})
	if fs := checkConfigFailures(render); len(fs) != 1 || fs[0].GetProperty() != "renderYamlToDirectory" ||
		!strings.Contains(fs[0].GetReason(), "not supported") {
		t.Fatalf("renderYamlToDirectory: %v", fs)
	}
	unknownKC := obj(map[string]any{})
	unknownKC[keyKubeconfig] = unknown
	if fs := checkConfigFailures(unknownKC); len(fs) != 0 {
		t.Fatalf("unknown kubeconfig rejected: %v", fs)
	}
}

func TestConfigFromVariables(t *testing.T) {
	pm := configFromVariables(map[string]string{
		"kubernetes:config:kubeconfig": "/k", "kubernetes:config:namespace": "ns",
		"kubernetes:config:context": "04da6b54-80e4-46f7-96ec-b56ff0331ba9", "other:config:x": "y",
	})
	cfg := configFromProps(pm)
	if cfg.kubeconfig != "/k" || cfg.namespace != "ns" || !cfg.unknown || pm.HasValue("x") {
		t.Fatalf("config %+v from %v", cfg, pm)
	}
}

func TestDefaultNamespace(t *testing.T) {
	kc := kubeconfigFor("https://127.0.0.1:6443", "t") // context "one" has namespace ctx-ns
	cases := []struct {
		cfg  providerConfig
		want string
	}{
		{providerConfig{kubeconfig: kc, hasKubeconfig: true, namespace: "explicit"}, "explicit"},
		{providerConfig{kubeconfig: kc, hasKubeconfig: true}, "ctx-ns"},
		{providerConfig{kubeconfig: kc, hasKubeconfig: true, context: "two"}, "default"},
		{providerConfig{}, "default"},
		{providerConfig{unknown: true}, "default"},
	}
	for _, c := range cases {
		if got := resolveDefaultNamespace(c.cfg); got != c.want {
			t.Errorf("resolveDefaultNamespace(context=%q namespace=%q) = %q, want %q", c.cfg.context, c.cfg.namespace, got, c.want)
		}
	}
}
