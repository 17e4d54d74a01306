package main

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Read fetches the live object for refresh, import and `.get()`. A missing
// object is reported with an empty ID, which tells the engine it is gone.
func (p *kubeProvider) Read(ctx context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	urn := req.GetUrn()
	gvk, props, ns, name, err := existingObject(req.GetType(), urn, req.GetId(), req.GetProperties())
	if err != nil {
		return nil, err
	}
	inputs, err := unmarshalProps(req.GetInputs(), "inputs")
	if err != nil {
		return nil, err
	}

	ctx, done := p.opContext(ctx)
	defer done()
	c, err := p.cluster()
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", describe(gvk.Kind, ns, name), err)
	}
	m, gone, err := mappingOrGone(ctx, c, gvk)
	if err != nil {
		return nil, err
	}
	if gone {
		return &pulumirpc.ReadResponse{}, nil
	}
	if namespaced(m) && ns == "" {
		ns = c.defaultNamespace
	}
	live, err := c.resourceFor(m, ns).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return &pulumirpc.ReadResponse{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s from %s: %w", describe(gvk.Kind, ns, name), c.server, err)
	}

	if len(inputs) == 0 {
		inputs = oldInputsOf(nil, props)
		if len(props) == 0 {
			// `.get()` and import: nothing was applied by this stack, so the
			// only inputs are the object's identity.
			inputs = identityInputs(live.GetAPIVersion(), live.GetKind(), live.GetNamespace(), live.GetName())
		}
	}
	outputs, err := marshalProps(outputsOf(live, inputs), "outputs")
	if err != nil {
		return nil, err
	}
	ins, err := marshalProps(inputs, "inputs")
	if err != nil {
		return nil, err
	}
	return &pulumirpc.ReadResponse{Id: objectID(live.GetNamespace(), live.GetName()), Properties: outputs, Inputs: ins}, nil
}

func identityInputs(apiVersion, kind, namespace, name string) resource.PropertyMap {
	meta := resource.PropertyMap{"name": resource.NewStringProperty(name)}
	if namespace != "" {
		meta["namespace"] = resource.NewStringProperty(namespace)
	}
	return resource.PropertyMap{
		"apiVersion": resource.NewStringProperty(apiVersion),
		"kind":       resource.NewStringProperty(kind),
		"metadata":   resource.NewObjectProperty(meta),
	}
}

// mappingOrGone resolves a kind for an existing object. If the cluster does
// not serve the kind even after fresh discovery, the object cannot exist
// (its CRD was deleted), which Read and Delete treat as "gone".
func mappingOrGone(ctx context.Context, c *cluster, gvk schema.GroupVersionKind) (*meta.RESTMapping, bool, error) {
	m, err := c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err == nil {
		return m, false, nil
	}
	if !meta.IsNoMatchError(err) {
		return nil, false, fmt.Errorf("cannot look up %s %s on %s (is the cluster reachable?): %w",
			apiVersionOf(gvk.GroupVersion()), gvk.Kind, c.server, err)
	}
	c.resetMapper(true)
	m, err = c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	switch {
	case err == nil:
		return m, false, nil
	case meta.IsNoMatchError(err):
		return nil, true, nil
	}
	return nil, false, fmt.Errorf("cannot look up %s %s on %s (is the cluster reachable?): %w",
		apiVersionOf(gvk.GroupVersion()), gvk.Kind, c.server, err)
}
