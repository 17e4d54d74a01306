package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// skipAwaitAnnotation turns off readiness waiting for one object.
const skipAwaitAnnotation = "pulumi.com/skipAwait"

// defaultTimeout applies when the program sets no customTimeouts.
const defaultTimeout = 10 * time.Minute

// pollInterval is how often a wait re-reads the object.
var pollInterval = time.Second

// timeoutOf turns the engine's timeout (seconds, 0 = unset) into a duration.
func timeoutOf(seconds float64) time.Duration {
	if seconds <= 0 {
		return defaultTimeout
	}
	return time.Duration(seconds * float64(time.Second))
}

// timeoutAnnotation sets an object's readiness timeout in seconds when the
// program gives no customTimeouts (the upstream provider honours it too).
const timeoutAnnotation = "pulumi.com/timeoutSeconds"

// awaitTimeout: customTimeouts, else the annotation, else the default.
func awaitTimeout(requestSeconds float64, obj *unstructured.Unstructured) time.Duration {
	if requestSeconds > 0 {
		return timeoutOf(requestSeconds)
	}
	if n, err := strconv.Atoi(obj.GetAnnotations()[timeoutAnnotation]); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	return defaultTimeout
}

// notReadyError says an object was applied but did not become ready. The
// object exists, so the caller reports it to the engine as a partial
// success (ErrorResourceInitFailed) instead of losing track of it.
type notReadyError struct{ msg string }

func (e *notReadyError) Error() string { return e.msg }

// await waits until obj is ready by its kind's rules, polling the API server.
// It returns the last observation, also on failure.
func (p *kubeProvider) await(ctx context.Context, c *cluster, m *meta.RESTMapping, obj *unstructured.Unstructured,
	urn string, timeout time.Duration,
) (*unstructured.Unstructured, error) {
	if obj.GetAnnotations()[skipAwaitAnnotation] == "true" {
		return obj, nil
	}
	gvk := obj.GroupVersionKind()
	check := readyCheckFor(gvk.Group, gvk.Kind)
	if check == nil {
		return obj, nil
	}
	skip, note := p.skipWait(ctx, c, obj)
	if note != "" {
		p.logf(ctx, diag.Info, urn, "%s", note)
	}
	if skip {
		return obj, nil
	}

	client := c.resourceFor(m, obj.GetNamespace())
	deadline := time.Now().Add(timeout)
	lastStatus := ""
	for {
		r := check(obj)
		if r.failed != nil {
			return obj, &notReadyError{msg: r.failed.Error()}
		}
		if r.ready {
			if gvk.Kind == "CustomResourceDefinition" {
				// Its kind is servable now: the next lookup must see it.
				c.resetMapper(true)
			}
			if lastStatus != "" {
				p.statusf(ctx, urn, "%s: ready", objName(obj))
			}
			return obj, nil
		}
		if r.status != lastStatus {
			p.statusf(ctx, urn, "%s", r.status)
			lastStatus = r.status
		}
		if time.Now().After(deadline) {
			return obj, &notReadyError{msg: fmt.Sprintf("timed out after %s waiting for readiness: %s", timeout, r.status)}
		}
		select {
		case <-ctx.Done():
			return obj, &notReadyError{msg: fmt.Sprintf("canceled while waiting for readiness: %s", r.status)}
		case <-time.After(pollInterval):
		}
		live, err := client.Get(ctx, obj.GetName(), metav1.GetOptions{})
		switch {
		case apierrors.IsNotFound(err):
			return obj, &notReadyError{msg: fmt.Sprintf("%s was deleted while waiting for it to become ready", objName(obj))}
		case err != nil:
			// A blip talking to the server is not the object's fault; keep
			// waiting (the deadline still bounds it) but say so.
			p.statusf(ctx, urn, "waiting for %s: reading it failed: %v", objName(obj), err)
		default:
			obj = live
		}
	}
}

// skipWait covers objects whose readiness depends on things outside the
// cluster's control loop, where waiting would only burn the timeout.
func (p *kubeProvider) skipWait(ctx context.Context, c *cluster, obj *unstructured.Unstructured) (bool, string) {
	gvk := obj.GroupVersionKind()
	switch {
	case gvk.Group == "" && gvk.Kind == "Service" && str(obj, "spec", "type") == "LoadBalancer":
		// The cluster IP is still awaited; an external address depends on a
		// cloud controller that test clusters do not run.
		return false, objName(obj) + ": type LoadBalancer; not waiting for a load balancer address"
	case gvk.Group == "" && gvk.Kind == "PersistentVolumeClaim":
		if mode := bindingMode(ctx, c, obj); mode == "WaitForFirstConsumer" {
			return true, fmt.Sprintf("%s: its StorageClass binds volumes only when a Pod uses the claim; not waiting for Bound", objName(obj))
		}
	}
	return false, ""
}

var storageClasses = schema.GroupVersionResource{Group: "storage.k8s.io", Version: "v1", Resource: "storageclasses"}

// bindingMode returns the volumeBindingMode of the StorageClass a claim uses
// ("" when it cannot tell).
func bindingMode(ctx context.Context, c *cluster, pvc *unstructured.Unstructured) string {
	if str(pvc, "spec", "volumeName") != "" {
		return "" // statically bound to a named volume
	}
	sc := c.dynamic.Resource(storageClasses)
	className, hasClass, _ := unstructured.NestedString(pvc.Object, "spec", "storageClassName")
	if hasClass {
		if className == "" {
			return ""
		}
		obj, err := sc.Get(ctx, className, metav1.GetOptions{})
		if err != nil {
			return ""
		}
		return str(obj, "volumeBindingMode")
	}
	list, err := sc.List(ctx, metav1.ListOptions{})
	if err != nil {
		return ""
	}
	for i := range list.Items {
		if list.Items[i].GetAnnotations()["storageclass.kubernetes.io/is-default-class"] == "true" {
			return str(&list.Items[i], "volumeBindingMode")
		}
	}
	return ""
}
