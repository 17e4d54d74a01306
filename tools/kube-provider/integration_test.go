//go:build integration

// Integration tests against a real kube-apiserver (with controller-manager,
// scheduler and kwok, e.g. from hack/devcluster.sh). They are opt-in by build
// tag, and once opted in they fail, never skip, without a cluster:
//
//	go test -tags integration -run Integration -kubeconfig /tmp/dev/kubeconfig ./...
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil/rpcerror"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

var kubeconfigFlag = flag.String("kubeconfig", os.Getenv("PLEDGE_KUBECONFIG"), "kubeconfig of a live test cluster")

type harness struct {
	t   *testing.T
	p   *kubeProvider
	ctx context.Context
}

func newHarness(t *testing.T, extra map[string]any) *harness {
	t.Helper()
	if *kubeconfigFlag == "" {
		t.Fatal("integration tests need -kubeconfig (or PLEDGE_KUBECONFIG) pointing at a live cluster; see hack/devcluster.sh")
	}
	contents, err := os.ReadFile(*kubeconfigFlag)
	if err != nil {
		t.Fatalf("reading kubeconfig: %v", err)
	}
	cfg := map[string]any{"kubeconfig": string(contents), "clusterIdentifier": "it"}
	for k, v := range extra {
		cfg[k] = v
	}
	h := &harness{t: t, p: newKubeProvider(nil, "test"), ctx: context.Background()}
	checked, err := h.p.CheckConfig(h.ctx, &pulumirpc.CheckRequest{News: h.marshal(obj(cfg))})
	if err != nil || len(checked.GetFailures()) > 0 {
		t.Fatalf("CheckConfig: %v %v", err, checked.GetFailures())
	}
	if _, err := h.p.Configure(h.ctx, &pulumirpc.ConfigureRequest{Args: checked.GetInputs()}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	return h
}

func (h *harness) marshal(pm resource.PropertyMap) *structpb.Struct {
	s, err := marshalProps(pm, "test")
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

func (h *harness) unmarshal(s *structpb.Struct) resource.PropertyMap {
	pm, err := unmarshalProps(s, "test")
	if err != nil {
		h.t.Fatal(err)
	}
	return pm
}

func urnOf(token, name string) string {
	return fmt.Sprintf("urn:pulumi:it::pledge::%s::%s", token, name)
}

// check runs Check and fails the test on failures.
func (h *harness) check(urn string, news, olds resource.PropertyMap) resource.PropertyMap {
	h.t.Helper()
	resp, err := h.p.Check(h.ctx, &pulumirpc.CheckRequest{Urn: urn, News: h.marshal(news), Olds: h.marshal(olds), RandomSeed: []byte(urn)})
	if err != nil || len(resp.GetFailures()) > 0 {
		h.t.Fatalf("Check %s: %v %v", urn, err, resp.GetFailures())
	}
	return h.unmarshal(resp.GetInputs())
}

func (h *harness) create(urn string, inputs resource.PropertyMap, timeout float64) (string, resource.PropertyMap, error) {
	resp, err := h.p.Create(h.ctx, &pulumirpc.CreateRequest{Urn: urn, Properties: h.marshal(inputs), Timeout: timeout})
	if err != nil {
		return "", nil, err
	}
	return resp.GetId(), h.unmarshal(resp.GetProperties()), nil
}

func (h *harness) mustCreate(urn string, inputs resource.PropertyMap) (string, resource.PropertyMap) {
	h.t.Helper()
	id, out, err := h.create(urn, inputs, 120)
	if err != nil {
		h.t.Fatalf("Create %s: %v", urn, err)
	}
	return id, out
}

func (h *harness) read(urn, id string, state resource.PropertyMap) (string, resource.PropertyMap) {
	h.t.Helper()
	resp, err := h.p.Read(h.ctx, &pulumirpc.ReadRequest{Urn: urn, Id: id, Properties: h.marshal(state)})
	if err != nil {
		h.t.Fatalf("Read %s: %v", urn, err)
	}
	return resp.GetId(), h.unmarshal(resp.GetProperties())
}

func (h *harness) delete(urn, id string, state resource.PropertyMap) {
	h.t.Helper()
	if _, err := h.p.Delete(h.ctx, &pulumirpc.DeleteRequest{Urn: urn, Id: id, Properties: h.marshal(state), Timeout: 120}); err != nil {
		h.t.Fatalf("Delete %s: %v", urn, err)
	}
}

func TestIntegrationLifecycle(t *testing.T) {
	h := newHarness(t, nil)
	suffix := fmt.Sprint(time.Now().UnixNano() % 100000)

	// Namespace, auto-named by Check.
	nsURN := urnOf("kubernetes:core/v1:Namespace", "it-ns"+suffix)
	nsInputs := h.check(nsURN, obj(map[string]any{"apiVersion": "v1", "kind": "Namespace"}), nil)
	nsID, nsOut := h.mustCreate(nsURN, nsInputs)
	if phase, _, _ := lookupString(nsOut, "status", "phase"); phase != "Active" || !strings.HasPrefix(nsID, "it-ns"+suffix+"-") {
		t.Fatalf("namespace %q phase %q", nsID, phase)
	}
	ns := nsID

	// ConfigMap: create, refresh, update removing a key, diff.
	cmURN := urnOf("kubernetes:core/v1:ConfigMap", "cm")
	cmInputs := h.check(cmURN, obj(map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": "settings", "namespace": ns}, "data": map[string]any{"a": "1", "b": "2"}}), nil)
	cmID, cmOut := h.mustCreate(cmURN, cmInputs)
	if cmID != ns+"/settings" {
		t.Fatalf("ConfigMap id %q", cmID)
	}
	if uid, _, _ := lookupString(cmOut, "metadata", "uid"); uid == "" {
		t.Fatal("outputs are not the live object (no uid)")
	}
	if _, ok := cmOut[inputsKey]; !ok {
		t.Fatal("outputs lack __inputs")
	}
	if id, _ := h.read(cmURN, cmID, cmOut); id != cmID {
		t.Fatalf("Read id %q", id)
	}

	newInputs := h.check(cmURN, obj(map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": "settings", "namespace": ns}, "data": map[string]any{"a": "10"}}), cmInputs)
	diff, err := h.p.Diff(h.ctx, &pulumirpc.DiffRequest{Urn: cmURN, Id: cmID, Olds: h.marshal(cmOut), News: h.marshal(newInputs)})
	if err != nil || diff.GetChanges() != pulumirpc.DiffResponse_DIFF_SOME || len(diff.GetReplaces()) > 0 {
		t.Fatalf("Diff: %v %v", err, diff)
	}
	upd, err := h.p.Update(h.ctx, &pulumirpc.UpdateRequest{Urn: cmURN, Id: cmID, Olds: h.marshal(cmOut), News: h.marshal(newInputs), Timeout: 60})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	cmOut = h.unmarshal(upd.GetProperties())
	data, _ := lookup(cmOut, "data")
	if v, _, _ := lookupString(cmOut, "data", "a"); v != "10" || data.ObjectValue().HasValue("b") {
		t.Fatalf("after update data = %v (b must be gone: server-side apply removes fields we no longer set)", data)
	}

	// Creating over an existing object is refused.
	if _, _, err := h.create(cmURN, cmInputs, 30); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("create over existing object: %v", err)
	}

	// Secret: data is secret in outputs.
	secURN := urnOf("kubernetes:core/v1:Secret", "sec")
	secIn := obj(map[string]any{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "creds", "namespace": ns}})
	secIn["stringData"] = resource.MakeSecret(resource.NewObjectProperty(obj(map[string]any{"pw": "hunter2"})))
	secID, secOut := h.mustCreate(secURN, h.check(secURN, secIn, nil))
	if !secOut["data"].IsSecret() {
		t.Fatal("Secret data not secret in outputs")
	}

	// Deployment becomes ready through kwok.
	depURN := urnOf("kubernetes:apps/v1:Deployment", "web")
	dep := func(replicas int, nodeSelector map[string]any) resource.PropertyMap {
		podSpec := map[string]any{"containers": []any{map[string]any{"name": "web", "image": "nginx"}}}
		if nodeSelector != nil {
			podSpec["nodeSelector"] = nodeSelector
		}
		return obj(map[string]any{"apiVersion": "apps/v1", "kind": "Deployment",
			"metadata": map[string]any{"name": "web", "namespace": ns},
			"spec": map[string]any{"replicas": replicas, "selector": map[string]any{"matchLabels": map[string]any{"app": "web"}},
				"template": map[string]any{"metadata": map[string]any{"labels": map[string]any{"app": "web"}}, "spec": podSpec}}})
	}
	start := time.Now()
	depID, depOut := h.mustCreate(depURN, h.check(depURN, dep(2, nil), nil))
	if n, _ := lookup(depOut, "status", "availableReplicas"); !n.IsNumber() || n.NumberValue() != 2 {
		t.Fatalf("Deployment returned before 2 replicas were available: %v", n)
	}
	t.Logf("Deployment ready after %s", time.Since(start).Round(time.Millisecond))

	// A Deployment that cannot schedule times out with a precise message and still returns the object.
	stuckURN := urnOf("kubernetes:apps/v1:Deployment", "stuck")
	stuck := dep(1, map[string]any{"no-such": "node"})
	stuck["metadata"].ObjectValue()["name"] = resource.NewStringProperty("stuck")
	_, _, err = h.create(stuckURN, h.check(stuckURN, stuck, nil), 5)
	rpcErr, ok := rpcerror.FromError(err)
	if !ok || !strings.Contains(rpcErr.Message(), "Deployment "+ns+"/stuck: 0/1 replicas available; condition Available=False: MinimumReplicasUnavailable") {
		t.Fatalf("timeout error: %v", err)
	}
	var initFailed *pulumirpc.ErrorResourceInitFailed
	for _, d := range rpcErr.Details() {
		if f, ok := d.(*pulumirpc.ErrorResourceInitFailed); ok {
			initFailed = f
		}
	}
	if initFailed == nil || initFailed.GetId() != ns+"/stuck" || initFailed.GetProperties() == nil {
		t.Fatalf("timeout does not carry the partial object: %v", rpcErr.Details())
	}
	t.Logf("timeout message: %s", rpcErr.Message())

	// `.get()`: Read with no state at all returns the live object and its identity as inputs.
	getResp, err := h.p.Read(h.ctx, &pulumirpc.ReadRequest{Urn: urnOf("kubernetes:core/v1:Namespace", "got"), Id: "default"})
	if err != nil || getResp.GetId() != "default" {
		t.Fatalf("get Namespace default: %v %v", err, getResp)
	}
	if name, _, _ := lookupString(h.unmarshal(getResp.GetInputs()), "metadata", "name"); name != "default" {
		t.Fatalf("get inputs: %v", getResp.GetInputs())
	}

	// Delete everything; Read then reports the objects gone.
	h.delete(depURN, depID, depOut)
	h.delete(stuckURN, ns+"/stuck", nil)
	h.delete(secURN, secID, secOut)
	h.delete(cmURN, cmID, cmOut)
	if id, _ := h.read(cmURN, cmID, cmOut); id != "" {
		t.Fatalf("deleted ConfigMap still read back as %q", id)
	}
	start = time.Now()
	h.delete(nsURN, nsID, nsOut)
	t.Logf("Namespace deleted (finalized) after %s", time.Since(start).Round(time.Millisecond))
	if id, _ := h.read(nsURN, nsID, nsOut); id != "" {
		t.Fatalf("deleted Namespace still read back as %q", id)
	}
}

func TestIntegrationCRDThenCustomResource(t *testing.T) {
	h := newHarness(t, map[string]any{"namespace": "default"})
	group := fmt.Sprintf("it%d.example.com", time.Now().UnixNano()%100000)
	crdURN := urnOf("kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", "widgets")
	crd := obj(map[string]any{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
		"metadata": map[string]any{"name": "widgets." + group},
		"spec": map[string]any{"group": group, "scope": "Namespaced",
			"names": map[string]any{"plural": "widgets", "singular": "widget", "kind": "Widget"},
			"versions": []any{map[string]any{"name": "v1", "served": true, "storage": true,
				"schema": map[string]any{"openAPIV3Schema": map[string]any{"type": "object",
					"x_kubernetes_preserve_unknown_fields": true}}}}}}) // the SDK's spelling
	// Warm the discovery cache first, so the CR below must survive a stale mapper.
	if _, err := h.p.cluster(); err != nil {
		t.Fatal(err)
	}
	crdID, crdOut := h.mustCreate(crdURN, h.check(crdURN, crd, nil))
	if v, _ := lookup(crdOut, "spec", "versions"); !v.IsArray() ||
		!v.ArrayValue()[0].ObjectValue()["schema"].ObjectValue()["openAPIV3Schema"].ObjectValue().HasValue("x_kubernetes_preserve_unknown_fields") {
		t.Fatalf("CRD outputs do not use the SDK's key spelling: %v", v)
	}

	wURN := urnOf("kubernetes:"+group+"/v1:Widget", "w")
	wIn := h.check(wURN, obj(map[string]any{"apiVersion": group + "/v1", "kind": "Widget", "spec": map[string]any{"size": 3}}), nil)
	wID, wOut := h.mustCreate(wURN, wIn)
	if !strings.HasPrefix(wID, "default/w-") {
		t.Fatalf("custom resource id %q", wID)
	}
	h.delete(wURN, wID, wOut)
	h.delete(crdURN, crdID, crdOut)
	// With the CRD gone the kind is gone: reading or deleting its objects reports them gone.
	if id, _ := h.read(wURN, wID, wOut); id != "" {
		t.Fatalf("custom resource of a deleted CRD read back as %q", id)
	}
	h.delete(wURN, wID, wOut)

	// Unknown kinds fail with a message naming them (after the discovery wait).
	saved := kindWait
	kindWait = 3 * time.Second
	defer func() { kindWait = saved }()
	gURN := urnOf("kubernetes:nope.example.com/v1:Gadget", "g")
	_, _, err := h.create(gURN, h.check(gURN, obj(map[string]any{"apiVersion": "nope.example.com/v1", "kind": "Gadget"}), nil), 30)
	if err == nil || !strings.Contains(err.Error(), `kind "Gadget" in apiVersion "nope.example.com/v1"`) {
		t.Fatalf("unknown kind error: %v", err)
	}
}

func TestIntegrationUnreachable(t *testing.T) {
	h := newHarness(t, nil)
	unreachable := kubeconfigFor("https://127.0.0.1:1", "t")
	if _, err := h.p.Configure(h.ctx, &pulumirpc.ConfigureRequest{Args: h.marshal(obj(map[string]any{"kubeconfig": unreachable}))}); err != nil {
		t.Fatal(err)
	}
	urn := urnOf("kubernetes:core/v1:ConfigMap", "gone")
	_, err := h.p.Delete(h.ctx, &pulumirpc.DeleteRequest{Urn: urn, Id: "default/x", Properties: h.marshal(obj(map[string]any{"apiVersion": "v1"}))})
	if err == nil || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Fatalf("delete on an unreachable cluster: %v", err)
	}
	t.Logf("unreachable: %v", err)
}

func TestIntegrationPreview(t *testing.T) {
	p := newKubeProvider(nil, "test")
	// Configuration unknown (depends on another resource's output).
	args := resource.PropertyMap{"kubeconfig": unknown}
	s, _ := marshalProps(args, "t")
	if _, err := p.Configure(context.Background(), &pulumirpc.ConfigureRequest{Args: s}); err != nil {
		t.Fatal(err)
	}
	urn := urnOf("kubernetes:core/v1:ConfigMap", "c")
	in := obj(map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "c"}})
	in["data"] = unknown
	props, _ := marshalProps(in, "t")
	resp, err := p.Create(context.Background(), &pulumirpc.CreateRequest{Urn: urn, Properties: props, Preview: true})
	if err != nil {
		t.Fatalf("preview create: %v", err)
	}
	out, _ := unmarshalProps(resp.GetProperties(), "t")
	if !out["data"].IsComputed() {
		t.Fatalf("preview lost the unknown: %v", out)
	}
	if _, err := p.Create(context.Background(), &pulumirpc.CreateRequest{Urn: urn, Properties: props}); err == nil ||
		!strings.Contains(err.Error(), "not known yet") {
		t.Fatalf("real create with unknown config: %v", err)
	}
}

func TestIntegrationCreateWaitsOutTerminatingObject(t *testing.T) {
	h := newHarness(t, map[string]any{"namespace": "default"})
	c, err := h.p.cluster()
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("held-%d", time.Now().UnixNano()%100000)
	cms := c.dynamic.Resource(schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}).Namespace("default")
	held := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": name, "finalizers": []any{"example.com/hold"}}}}
	if _, err := cms.Create(h.ctx, held, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := cms.Delete(h.ctx, name, metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(3 * time.Second)
		patch := []byte(`{"metadata":{"finalizers":null}}`)
		if _, err := cms.Patch(context.Background(), name, types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
			t.Errorf("releasing finalizer: %v", err)
		}
	}()
	urn := urnOf("kubernetes:core/v1:ConfigMap", "held")
	start := time.Now()
	id, out := h.mustCreate(urn, h.check(urn, obj(map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": name}, "data": map[string]any{"fresh": "yes"}}), nil))
	if waited := time.Since(start); waited < 2*time.Second {
		t.Fatalf("create did not wait for the terminating object (took %s)", waited)
	}
	if v, _, _ := lookupString(out, "data", "fresh"); v != "yes" {
		t.Fatalf("created object: %v", out)
	}
	h.delete(urn, id, out)
}
