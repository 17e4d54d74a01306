package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// foregroundKinds delete their pods before they disappear themselves, so a
// finished Delete means the workload is really gone, not just its controller.
var foregroundKinds = map[string]bool{
	"apps/Deployment": true, "apps/StatefulSet": true, "apps/DaemonSet": true, "apps/ReplicaSet": true,
	"batch/Job": true, "batch/CronJob": true,
}

func propagationFor(gvk schema.GroupVersionKind) metav1.DeletionPropagation {
	if foregroundKinds[gvk.Group+"/"+gvk.Kind] {
		return metav1.DeletePropagationForeground
	}
	return metav1.DeletePropagationBackground
}

// Delete removes the object and waits until the API server no longer has it
// (finalizers done, namespace contents cleaned up). An unreachable cluster is
// an error: dropping the resource from state would leak the object.
func (p *kubeProvider) Delete(ctx context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	urn := req.GetUrn()
	gvk, _, ns, name, err := existingObject(req.GetType(), urn, req.GetId(), req.GetProperties())
	if err != nil {
		return nil, err
	}
	what := describe(gvk.Kind, ns, name)

	ctx, done := p.opContext(ctx)
	defer done()
	c, err := p.cluster()
	if err != nil {
		return nil, fmt.Errorf("cannot delete %s: %w", what, err)
	}
	m, gone, err := mappingOrGone(ctx, c, gvk)
	if err != nil {
		return nil, fmt.Errorf("cannot delete %s: %w", what, err)
	}
	if gone {
		p.logf(ctx, diag.Info, urn, "%s: the cluster no longer serves %s, so the object is gone", what, apiVersionOf(gvk.GroupVersion()))
		return &emptypb.Empty{}, nil
	}
	if namespaced(m) && ns == "" {
		ns = c.defaultNamespace
	}
	client := c.resourceFor(m, ns)
	policy := propagationFor(gvk)
	err = client.Delete(ctx, name, metav1.DeleteOptions{PropagationPolicy: &policy})
	if apierrors.IsNotFound(err) {
		return &emptypb.Empty{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("deleting %s from %s: %w", what, c.server, err)
	}

	timeout := timeoutOf(req.GetTimeout())
	deadline := time.Now().Add(timeout)
	last := ""
	for {
		live, err := client.Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return &emptypb.Empty{}, nil
		}
		state := "still present"
		if err != nil {
			state = "reading it failed: " + err.Error()
		} else if fin := live.GetFinalizers(); len(fin) > 0 {
			state = "waiting for finalizers " + strings.Join(fin, ", ")
		}
		if state != last {
			p.statusf(ctx, urn, "waiting for %s to be deleted: %s", what, state)
			last = state
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("timed out after %s waiting for %s to be deleted: %s", timeout, what, state)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("canceled while waiting for %s to be deleted: %s", what, state)
		case <-time.After(pollInterval):
		}
	}
}
