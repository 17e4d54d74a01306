package main

import (
	"slices"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

func deployment(mutate func(m map[string]any)) resource.PropertyMap {
	m := map[string]any{
		"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{"name": "web", "namespace": "team-a", "labels": map[string]any{"app": "web"}},
		"spec": map[string]any{
			"replicas": 2,
			"selector": map[string]any{"matchLabels": map[string]any{"app": "web"}},
			"template": map[string]any{
				"metadata": map[string]any{"labels": map[string]any{"app": "web"}},
				"spec":     map[string]any{"containers": []any{map[string]any{"name": "web", "image": "nginx:1"}}},
			},
		},
	}
	if mutate != nil {
		mutate(m)
	}
	return obj(m)
}

// liveOf makes the outputs a previous apply would have recorded.
func liveOf(inputs resource.PropertyMap, namespace string) resource.PropertyMap {
	out := inputs.Copy()
	meta := obj(map[string]any{"name": "", "uid": "1234"})
	if m, ok := lookup(inputs, "metadata"); ok {
		meta = m.ObjectValue().Copy()
	}
	if namespace != "" {
		meta["namespace"] = resource.NewStringProperty(namespace)
	}
	out["metadata"] = resource.NewObjectProperty(meta)
	out["status"] = resource.NewObjectProperty(obj(map[string]any{"replicas": 2}))
	return out
}

func spec(m map[string]any) map[string]any { return m["spec"].(map[string]any) }

func TestDiff(t *testing.T) {
	base := deployment(nil)
	cases := []struct {
		name     string
		gvk      schema.GroupVersionKind
		olds     resource.PropertyMap
		news     resource.PropertyMap
		liveNS   string
		want     pulumirpc.DiffResponse_DiffChanges
		replaces []string
		dbr      bool
		detailed map[string]pulumirpc.PropertyDiff_Kind
	}{
		{name: "no change", gvk: deploymentGVK, olds: base, news: deployment(nil), liveNS: "team-a",
			want: pulumirpc.DiffResponse_DIFF_NONE},
		{name: "replicas update", gvk: deploymentGVK, olds: base, liveNS: "team-a",
			news: deployment(func(m map[string]any) { spec(m)["replicas"] = 3 }),
			want: pulumirpc.DiffResponse_DIFF_SOME, dbr: true,
			detailed: map[string]pulumirpc.PropertyDiff_Kind{"spec.replicas": pulumirpc.PropertyDiff_UPDATE}},
		{name: "image update", gvk: deploymentGVK, olds: base, liveNS: "team-a",
			news: deployment(func(m map[string]any) {
				spec(m)["template"].(map[string]any)["spec"].(map[string]any)["containers"].([]any)[0].(map[string]any)["image"] = "nginx:2"
			}),
			want: pulumirpc.DiffResponse_DIFF_SOME, dbr: true,
			detailed: map[string]pulumirpc.PropertyDiff_Kind{"spec.template.spec.containers[0].image": pulumirpc.PropertyDiff_UPDATE}},
		{name: "label added", gvk: deploymentGVK, olds: base, liveNS: "team-a",
			news: deployment(func(m map[string]any) { m["metadata"].(map[string]any)["labels"].(map[string]any)["tier"] = "fe" }),
			want: pulumirpc.DiffResponse_DIFF_SOME, dbr: true,
			detailed: map[string]pulumirpc.PropertyDiff_Kind{"metadata.labels.tier": pulumirpc.PropertyDiff_ADD}},
		{name: "selector replaces in place", gvk: deploymentGVK, olds: base, liveNS: "team-a",
			news: deployment(func(m map[string]any) {
				spec(m)["selector"] = map[string]any{"matchLabels": map[string]any{"app": "web2"}}
			}),
			want: pulumirpc.DiffResponse_DIFF_SOME, replaces: []string{"spec.selector.matchLabels.app"}, dbr: true,
			detailed: map[string]pulumirpc.PropertyDiff_Kind{"spec.selector.matchLabels.app": pulumirpc.PropertyDiff_UPDATE_REPLACE}},
		{name: "rename replaces create-first", gvk: deploymentGVK, olds: base, liveNS: "team-a",
			news: deployment(func(m map[string]any) { m["metadata"].(map[string]any)["name"] = "web2" }),
			want: pulumirpc.DiffResponse_DIFF_SOME, replaces: []string{"metadata.name"}, dbr: false},
		{name: "namespace move replaces", gvk: deploymentGVK, olds: base, liveNS: "team-a",
			news: deployment(func(m map[string]any) { m["metadata"].(map[string]any)["namespace"] = "team-b" }),
			want: pulumirpc.DiffResponse_DIFF_SOME, replaces: []string{"metadata.namespace"}, dbr: false},
		{name: "explicit default namespace is no move", gvk: deploymentGVK, liveNS: "default",
			olds: deployment(func(m map[string]any) { delete(m["metadata"].(map[string]any), "namespace") }),
			news: deployment(func(m map[string]any) { m["metadata"].(map[string]any)["namespace"] = "default" }),
			want: pulumirpc.DiffResponse_DIFF_SOME, dbr: true,
			detailed: map[string]pulumirpc.PropertyDiff_Kind{"metadata.namespace": pulumirpc.PropertyDiff_ADD}},
		{name: "default namespace changed moves the object", gvk: deploymentGVK, liveNS: "elsewhere",
			olds: deployment(func(m map[string]any) { delete(m["metadata"].(map[string]any), "namespace") }),
			news: deployment(func(m map[string]any) { delete(m["metadata"].(map[string]any), "namespace") }),
			want: pulumirpc.DiffResponse_DIFF_SOME, replaces: []string{"metadata.namespace"}},
		{name: "apiVersion within group is an update", gvk: deploymentGVK, olds: base, liveNS: "team-a",
			news: deployment(func(m map[string]any) { m["apiVersion"] = "apps/v2" }),
			want: pulumirpc.DiffResponse_DIFF_SOME, dbr: true,
			detailed: map[string]pulumirpc.PropertyDiff_Kind{"apiVersion": pulumirpc.PropertyDiff_UPDATE}},
		{name: "apiVersion group change replaces", gvk: deploymentGVK, olds: base, liveNS: "team-a",
			news: deployment(func(m map[string]any) { m["apiVersion"] = "extensions/v1beta1" }),
			want: pulumirpc.DiffResponse_DIFF_SOME, replaces: []string{"apiVersion"}, dbr: true},
		{name: "kind change replaces", gvk: deploymentGVK, olds: base, liveNS: "team-a",
			news: deployment(func(m map[string]any) { m["kind"] = "StatefulSet" }),
			want: pulumirpc.DiffResponse_DIFF_SOME, replaces: []string{"kind"}, dbr: true},
		{name: "auto-named replacement creates first", gvk: deploymentGVK, liveNS: "team-a",
			olds: deployment(func(m map[string]any) {
				m["metadata"].(map[string]any)["annotations"] = map[string]any{autonamedAnnotation: "true"}
			}),
			news: deployment(func(m map[string]any) {
				m["metadata"].(map[string]any)["annotations"] = map[string]any{autonamedAnnotation: "true"}
				spec(m)["selector"] = map[string]any{"matchLabels": map[string]any{"app": "web2"}}
			}),
			want: pulumirpc.DiffResponse_DIFF_SOME, replaces: []string{"spec.selector.matchLabels.app"}, dbr: false},
		{name: "unknown name replaces", gvk: deploymentGVK, olds: base, liveNS: "team-a",
			news: func() resource.PropertyMap {
				d := deployment(nil)
				d["metadata"].ObjectValue()["name"] = unknown
				return d
			}(),
			want: pulumirpc.DiffResponse_DIFF_SOME, replaces: []string{"metadata.name"}, dbr: false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := computeDiff(c.gvk, c.olds, c.news, liveOf(c.olds, c.liveNS), "default")
			if resp.GetChanges() != c.want {
				t.Fatalf("changes = %v, want %v (detailed %v)", resp.GetChanges(), c.want, resp.GetDetailedDiff())
			}
			if !slices.Equal(resp.GetReplaces(), c.replaces) {
				t.Fatalf("replaces = %v, want %v", resp.GetReplaces(), c.replaces)
			}
			if resp.GetDeleteBeforeReplace() != c.dbr {
				t.Fatalf("deleteBeforeReplace = %v, want %v", resp.GetDeleteBeforeReplace(), c.dbr)
			}
			for path, kind := range c.detailed {
				d, ok := resp.GetDetailedDiff()[path]
				if !ok || d.GetKind() != kind || !d.GetInputDiff() {
					t.Fatalf("detailed[%s] = %v, want %v (all: %v)", path, d, kind, resp.GetDetailedDiff())
				}
			}
			if c.detailed != nil && len(resp.GetDetailedDiff()) != len(c.detailed) {
				t.Fatalf("detailed diff %v has extra entries, want %v", resp.GetDetailedDiff(), c.detailed)
			}
		})
	}
}

func TestDiffKindRules(t *testing.T) {
	pvc := func(storage, class string) resource.PropertyMap {
		return obj(map[string]any{"apiVersion": "v1", "kind": "PersistentVolumeClaim",
			"metadata": map[string]any{"name": "data"},
			"spec": map[string]any{"storageClassName": class, "accessModes": []any{"ReadWriteOnce"},
				"resources": map[string]any{"requests": map[string]any{"storage": storage}}}})
	}
	cm := func(immutable bool, value string) resource.PropertyMap {
		return obj(map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "c"},
			"immutable": immutable, "data": map[string]any{"k": value}})
	}
	svc := func(ip string, port int) resource.PropertyMap {
		return obj(map[string]any{"apiVersion": "v1", "kind": "Service", "metadata": map[string]any{"name": "s"},
			"spec": map[string]any{"clusterIP": ip, "ports": []any{map[string]any{"port": port}}}})
	}
	job := func(image string, parallelism int) resource.PropertyMap {
		return obj(map[string]any{"apiVersion": "batch/v1", "kind": "Job", "metadata": map[string]any{"name": "j"},
			"spec": map[string]any{"parallelism": parallelism, "template": map[string]any{"spec": map[string]any{
				"containers": []any{map[string]any{"name": "c", "image": image}}}}}})
	}
	pod := func(image, restart string) resource.PropertyMap {
		return obj(map[string]any{"apiVersion": "v1", "kind": "Pod", "metadata": map[string]any{"name": "p"},
			"spec": map[string]any{"restartPolicy": restart, "containers": []any{map[string]any{"name": "c", "image": image}}}})
	}
	sts := func(service string, replicas int) resource.PropertyMap {
		return obj(map[string]any{"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": map[string]any{"name": "db"},
			"spec": map[string]any{"serviceName": service, "replicas": replicas}})
	}
	binding := func(role string) resource.PropertyMap {
		return obj(map[string]any{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": map[string]any{"name": "b"},
			"roleRef": map[string]any{"kind": "Role", "name": role}})
	}
	gvk := func(group, kind string) schema.GroupVersionKind {
		return schema.GroupVersionKind{Group: group, Version: "v1", Kind: kind}
	}
	cases := []struct {
		name       string
		gvk        schema.GroupVersionKind
		olds, news resource.PropertyMap
		replace    bool
	}{
		{"pvc storage request grows in place", gvk("", "PersistentVolumeClaim"), pvc("1Gi", "fast"), pvc("2Gi", "fast"), false},
		{"pvc storage class replaces", gvk("", "PersistentVolumeClaim"), pvc("1Gi", "fast"), pvc("1Gi", "slow"), true},
		{"mutable configmap updates", gvk("", "ConfigMap"), cm(false, "a"), cm(false, "b"), false},
		{"immutable configmap replaces", gvk("", "ConfigMap"), cm(true, "a"), cm(true, "b"), true},
		{"service clusterIP replaces", gvk("", "Service"), svc("10.0.0.5", 80), svc("10.0.0.6", 80), true},
		{"service port updates", gvk("", "Service"), svc("10.0.0.5", 80), svc("10.0.0.5", 81), false},
		{"job template replaces", gvk("batch", "Job"), job("a", 1), job("b", 1), true},
		{"job parallelism updates", gvk("batch", "Job"), job("a", 1), job("a", 2), false},
		{"pod image updates", gvk("", "Pod"), pod("a", "Always"), pod("b", "Always"), false},
		{"pod restartPolicy replaces", gvk("", "Pod"), pod("a", "Always"), pod("a", "Never"), true},
		{"statefulset serviceName replaces", gvk("apps", "StatefulSet"), sts("a", 1), sts("b", 1), true},
		{"statefulset replicas updates", gvk("apps", "StatefulSet"), sts("a", 1), sts("a", 3), false},
		{"rolebinding roleRef replaces", gvk("rbac.authorization.k8s.io", "RoleBinding"), binding("a"), binding("b"), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := computeDiff(c.gvk, c.olds, c.news, liveOf(c.olds, "default"), "default")
			if resp.GetChanges() != pulumirpc.DiffResponse_DIFF_SOME {
				t.Fatalf("no change detected")
			}
			if got := len(resp.GetReplaces()) > 0; got != c.replace {
				t.Fatalf("replace = %v, want %v (replaces %v)", got, c.replace, resp.GetReplaces())
			}
			if c.replace && !resp.GetDeleteBeforeReplace() {
				t.Fatal("same-name replacement must delete before replace")
			}
		})
	}
}

func TestDiffComparesSecretsByContent(t *testing.T) {
	olds := obj(map[string]any{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "s"}})
	news := olds.Copy()
	olds["stringData"] = resource.MakeSecret(resource.NewObjectProperty(obj(map[string]any{"pw": "a"})))
	news["stringData"] = resource.NewObjectProperty(obj(map[string]any{"pw": resource.MakeSecret(resource.NewStringProperty("a"))}))
	if resp := computeDiff(secretGVK, olds, news, liveOf(olds, "default"), "default"); resp.GetChanges() != pulumirpc.DiffResponse_DIFF_NONE {
		t.Fatalf("same secret content differs: %v", resp.GetDetailedDiff())
	}
	news["stringData"] = resource.MakeSecret(resource.NewObjectProperty(obj(map[string]any{"pw": "b"})))
	if resp := computeDiff(secretGVK, olds, news, liveOf(olds, "default"), "default"); resp.GetChanges() != pulumirpc.DiffResponse_DIFF_SOME {
		t.Fatal("changed secret not detected")
	}
}

func TestOldInputsOf(t *testing.T) {
	ins := obj(map[string]any{"kind": "ConfigMap"})
	outs := obj(map[string]any{"kind": "ConfigMap", "status": map[string]any{}})
	outs[inputsKey] = resource.NewObjectProperty(obj(map[string]any{"kind": "FromOutputs"}))
	if got := oldInputsOf(ins, outs); got["kind"].StringValue() != "ConfigMap" {
		t.Fatal("engine's old inputs not preferred")
	}
	if got := oldInputsOf(nil, outs); got["kind"].StringValue() != "FromOutputs" {
		t.Fatal("__inputs not used as fallback")
	}
	delete(outs, inputsKey)
	if got := oldInputsOf(nil, outs); got.HasValue("status") {
		t.Fatal("status leaked into fallback inputs")
	}
}
