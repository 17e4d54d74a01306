package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil/rpcerror"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/structpb"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

// fieldManager is the server-side apply manager name; it matches upstream so
// objects keep one owner whichever provider applied them last.
const fieldManager = "pulumi-kubernetes"

// Create applies a new object and waits for it to become ready.
func (p *kubeProvider) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	urn := req.GetUrn()
	gvk, err := gvkFromToken(typeOf(req.GetType(), urn))
	if err != nil {
		return nil, err
	}
	inputs, err := unmarshalProps(req.GetProperties(), "inputs")
	if err != nil {
		return nil, err
	}
	if req.GetPreview() {
		// Nothing is known about the live object yet: show the inputs, unknowns included.
		outputs := inputs.Copy()
		protectSecrets(outputs, inputs.Copy(), gvk.Group, gvk.Kind)
		props, err := marshalProps(outputs, "outputs")
		if err != nil {
			return nil, err
		}
		return &pulumirpc.CreateResponse{Properties: props}, nil
	}

	ctx, done := p.opContext(ctx)
	defer done()
	c, err := p.cluster()
	if err != nil {
		return nil, fmt.Errorf("cannot create %s: %w", gvk.Kind, err)
	}
	obj, m, err := p.prepare(ctx, c, gvk, inputs, urn)
	if err != nil {
		return nil, err
	}
	if !p.config().upsertExisting {
		if err := p.ensureAbsent(ctx, c, m, obj, urn, awaitTimeout(req.GetTimeout(), obj)); err != nil {
			return nil, err
		}
	}
	return createResponse(p.applyAndAwait(ctx, c, m, obj, inputs, urn, req.GetTimeout()))
}

// Update applies the new inputs over the object. Fields the previous inputs
// set and the new ones do not are removed by server-side apply, because this
// field manager owned them.
func (p *kubeProvider) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	urn := req.GetUrn()
	gvk, err := gvkFromToken(typeOf(req.GetType(), urn))
	if err != nil {
		return nil, err
	}
	news, err := unmarshalProps(req.GetNews(), "new inputs")
	if err != nil {
		return nil, err
	}
	if req.GetPreview() {
		olds, err := unmarshalProps(req.GetOlds(), "old outputs")
		if err != nil {
			return nil, err
		}
		props, err := marshalProps(previewUpdate(gvk, olds, news), "outputs")
		if err != nil {
			return nil, err
		}
		return &pulumirpc.UpdateResponse{Properties: props}, nil
	}

	ctx, done := p.opContext(ctx)
	defer done()
	c, err := p.cluster()
	if err != nil {
		return nil, fmt.Errorf("cannot update %s: %w", gvk.Kind, err)
	}
	obj, m, err := p.prepare(ctx, c, gvk, news, urn)
	if err != nil {
		return nil, err
	}
	_, props, err := p.applyAndAwait(ctx, c, m, obj, news, urn, req.GetTimeout())
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: props}, nil
}

// appliedVersion prefers the version the state says the object was applied
// as, when it is of the same group as the token.
func appliedVersion(gvk schema.GroupVersionKind, state resource.PropertyMap) schema.GroupVersionKind {
	if av, _, _ := lookupString(state, "apiVersion"); av != "" {
		if gv, err := schema.ParseGroupVersion(av); err == nil && gv.Group == gvk.Group {
			gvk.Version = gv.Version
		}
	}
	return gvk
}

// existingObject resolves what Read and Delete act on: the kind and version
// from the token and the state, the state itself, and namespace/name from the ID.
func existingObject(typ, urn, id string, state *structpb.Struct) (schema.GroupVersionKind, resource.PropertyMap, string, string, error) {
	gvk, err := gvkFromToken(typeOf(typ, urn))
	if err != nil {
		return gvk, nil, "", "", err
	}
	props, err := unmarshalProps(state, "state")
	if err != nil {
		return gvk, nil, "", "", err
	}
	ns, name, err := parseID(id)
	return appliedVersion(gvk, props), props, ns, name, err
}

func typeOf(typ, urn string) string {
	if typ != "" {
		return typ
	}
	return string(resource.URN(urn).Type())
}

func createResponse(id string, props *structpb.Struct, err error) (*pulumirpc.CreateResponse, error) {
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: props}, nil
}

// prepare turns inputs into the object to apply and finds its resource.
func (p *kubeProvider) prepare(ctx context.Context, c *cluster, gvk schema.GroupVersionKind,
	inputs resource.PropertyMap, urn string,
) (*unstructured.Unstructured, *meta.RESTMapping, error) {
	plain, err := toPlainMap(inputs)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot apply %s: input %w", gvk.Kind, err)
	}
	if isCRD(gvk.Group, gvk.Kind) {
		plain = renameSchemaKeys(plain, sdkToAPIKey).(map[string]any)
	}
	obj := &unstructured.Unstructured{Object: plain}
	delete(obj.Object, "status")
	if obj.GetAPIVersion() == "" {
		obj.SetAPIVersion(apiVersionOf(gvk.GroupVersion()))
	}
	if obj.GetKind() == "" {
		obj.SetKind(gvk.Kind)
	}
	if obj.GetName() == "" {
		return nil, nil, fmt.Errorf("cannot apply %s: metadata.name is empty", gvk.Kind)
	}
	objGVK := obj.GroupVersionKind()
	m, err := c.mapping(ctx, objGVK, kindWait)
	if err != nil {
		return nil, nil, err
	}
	if namespaced(m) {
		if obj.GetNamespace() == "" {
			obj.SetNamespace(c.defaultNamespace)
		}
	} else if ns := obj.GetNamespace(); ns != "" {
		p.logf(ctx, diag.Warning, urn, "%s is cluster-scoped; ignoring metadata.namespace %q", describe(gvk.Kind, "", obj.GetName()), ns)
		obj.SetNamespace("")
	}
	return obj, m, nil
}

// ensureAbsent refuses to create over an object someone else made: silently
// adopting it could hand one object to two stacks. An object that is being
// deleted (say a Namespace still finalizing after an out-of-band delete) is
// waited out instead, since it is about to be gone.
func (p *kubeProvider) ensureAbsent(ctx context.Context, c *cluster, m *meta.RESTMapping, obj *unstructured.Unstructured,
	urn string, timeout time.Duration,
) error {
	what := describe(obj.GetKind(), obj.GetNamespace(), obj.GetName())
	deadline := time.Now().Add(timeout)
	for {
		live, err := c.resourceFor(m, obj.GetNamespace()).Get(ctx, obj.GetName(), metav1.GetOptions{})
		switch {
		case apierrors.IsNotFound(err):
			return nil
		case err != nil:
			return fmt.Errorf("checking whether %s exists on %s: %w", what, c.server, err)
		case live.GetDeletionTimestamp() == nil:
			return fmt.Errorf("%s already exists; import it into the stack, delete it, or set upsertExistingObjects on the provider", what)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %s waiting for the previous %s to finish deleting", timeout, what)
		}
		p.statusf(ctx, urn, "waiting for the previous %s to finish deleting", what)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pollInterval):
		}
	}
}

// applyAndAwait server-side applies obj, waits for readiness and builds the
// outputs. If the object was applied but never became ready, the error
// carries the object so the engine still records it.
func (p *kubeProvider) applyAndAwait(ctx context.Context, c *cluster, m *meta.RESTMapping, obj *unstructured.Unstructured,
	inputs resource.PropertyMap, urn string, timeoutSeconds float64,
) (string, *structpb.Struct, error) {
	what := describe(obj.GetKind(), obj.GetNamespace(), obj.GetName())
	body, err := json.Marshal(obj.Object)
	if err != nil {
		return "", nil, fmt.Errorf("encoding %s: %w", what, err)
	}
	force := true
	live, err := c.resourceFor(m, obj.GetNamespace()).Patch(ctx, obj.GetName(), types.ApplyPatchType, body,
		metav1.PatchOptions{FieldManager: fieldManager, Force: &force})
	if err != nil {
		return "", nil, fmt.Errorf("applying %s to %s: %w", what, c.server, err)
	}
	live, awaitErr := p.await(ctx, c, m, live, urn, awaitTimeout(timeoutSeconds, obj))
	id := objectID(live.GetNamespace(), live.GetName())
	props, err := marshalProps(outputsOf(live, inputs), "outputs")
	if err != nil {
		return "", nil, err
	}
	if awaitErr != nil {
		var nr *notReadyError
		if !errors.As(awaitErr, &nr) {
			return "", nil, awaitErr
		}
		return "", nil, rpcerror.WithDetails(rpcerror.New(codes.Unknown, awaitErr.Error()),
			&pulumirpc.ErrorResourceInitFailed{Id: id, Properties: props, Reasons: []string{awaitErr.Error()}})
	}
	return id, props, nil
}

// outputsOf builds the resource's outputs: the live object (without the
// server's field bookkeeping) plus the inputs it was applied from.
func outputsOf(live *unstructured.Unstructured, inputs resource.PropertyMap) resource.PropertyMap {
	obj := live.DeepCopy()
	unstructured.RemoveNestedField(obj.Object, "metadata", "managedFields")
	if gvk := obj.GroupVersionKind(); isCRD(gvk.Group, gvk.Kind) {
		obj.Object = renameSchemaKeys(obj.Object, apiToSDKKey).(map[string]any)
	}
	outputs := fromPlain(obj.Object)
	ins := inputs.Copy()
	gvk := obj.GroupVersionKind()
	protectSecrets(outputs, ins, gvk.Group, gvk.Kind)
	outputs[inputsKey] = resource.NewObjectProperty(ins)
	return outputs
}

// previewUpdate shows what an update will look like: the new inputs, on the
// identity of the existing object, with its status not known yet.
func previewUpdate(gvk schema.GroupVersionKind, olds, news resource.PropertyMap) resource.PropertyMap {
	out := news.Copy()
	newMeta := resource.PropertyMap{}
	if v, ok := lookup(news, "metadata"); ok && v.IsObject() {
		newMeta = v.ObjectValue().Copy()
	}
	if oldMeta, ok := lookup(olds, "metadata"); ok && oldMeta.IsObject() {
		for _, k := range []resource.PropertyKey{"namespace", "uid", "creationTimestamp", "resourceVersion", "generation"} {
			if v, ok := oldMeta.ObjectValue()[k]; ok {
				if _, set := newMeta[k]; !set {
					newMeta[k] = v
				}
			}
		}
	}
	out["metadata"] = resource.NewObjectProperty(newMeta)
	if _, ok := olds["status"]; ok {
		out["status"] = resource.MakeComputed(resource.NewStringProperty(""))
	}
	ins := news.Copy()
	protectSecrets(out, ins, gvk.Group, gvk.Kind)
	out[inputsKey] = resource.NewObjectProperty(ins)
	return out
}
