package main

import (
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func u(apiVersion, kind string, generation int64, spec, status map[string]any) *unstructured.Unstructured {
	o := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": apiVersion, "kind": kind,
		"metadata": map[string]any{"name": "web", "namespace": "team-a", "generation": generation},
	}}
	if spec != nil {
		o.Object["spec"] = spec
	}
	if status != nil {
		o.Object["status"] = status
	}
	return o
}

func conds(kv ...string) []any {
	var out []any
	for i := 0; i+2 < len(kv); i += 3 {
		out = append(out, map[string]any{"type": kv[i], "status": kv[i+1], "reason": kv[i+2]})
	}
	return out
}

func TestReadiness(t *testing.T) {
	cases := []struct {
		name    string
		obj     *unstructured.Unstructured
		ready   bool
		failed  bool
		mention string
	}{
		{"deployment fresh", u("apps/v1", "Deployment", 1, map[string]any{"replicas": int64(2)}, nil), false, false, "not observed generation 1"},
		{"deployment unavailable", u("apps/v1", "Deployment", 1, map[string]any{"replicas": int64(2)}, map[string]any{
			"observedGeneration": int64(1), "updatedReplicas": int64(2),
			"conditions": conds("Available", "False", "MinimumReplicasUnavailable", "Progressing", "True", "ReplicaSetUpdated")}),
			false, false, "Deployment team-a/web: 0/2 replicas available; condition Available=False: MinimumReplicasUnavailable"},
		{"deployment ready", u("apps/v1", "Deployment", 1, map[string]any{"replicas": int64(2)}, map[string]any{
			"observedGeneration": int64(1), "updatedReplicas": int64(2), "availableReplicas": int64(2),
			"conditions": conds("Available", "True", "MinimumReplicasAvailable", "Progressing", "True", "NewReplicaSetAvailable")}),
			true, false, ""},
		{"deployment default one replica", u("apps/v1", "Deployment", 3, map[string]any{}, map[string]any{
			"observedGeneration": int64(3), "updatedReplicas": int64(1), "availableReplicas": int64(1),
			"conditions": conds("Available", "True", "", "Progressing", "True", "NewReplicaSetAvailable")}),
			true, false, ""},
		{"deployment old generation observed", u("apps/v1", "Deployment", 2, map[string]any{}, map[string]any{
			"observedGeneration": int64(1), "updatedReplicas": int64(1), "availableReplicas": int64(1),
			"conditions": conds("Available", "True", "", "Progressing", "True", "NewReplicaSetAvailable")}),
			false, false, "generation 2"},
		{"deployment mid rollout", u("apps/v1", "Deployment", 2, map[string]any{"replicas": int64(2)}, map[string]any{
			"observedGeneration": int64(2), "updatedReplicas": int64(1), "availableReplicas": int64(2),
			"conditions": conds("Available", "True", "", "Progressing", "True", "ReplicaSetUpdated")}),
			false, false, "1/2 updated"},
		{"deployment deadline exceeded", u("apps/v1", "Deployment", 1, map[string]any{}, map[string]any{
			"observedGeneration": int64(1),
			"conditions":         conds("Available", "False", "", "Progressing", "False", "ProgressDeadlineExceeded")}),
			false, true, ""},
		{"statefulset partially ready", u("apps/v1", "StatefulSet", 1, map[string]any{"replicas": int64(3)}, map[string]any{
			"observedGeneration": int64(1), "readyReplicas": int64(2), "updatedReplicas": int64(3)}), false, false, "2/3 replicas ready"},
		{"statefulset ready", u("apps/v1", "StatefulSet", 1, map[string]any{"replicas": int64(3)}, map[string]any{
			"observedGeneration": int64(1), "readyReplicas": int64(3), "updatedReplicas": int64(3)}), true, false, ""},
		{"daemonset not observed", u("apps/v1", "DaemonSet", 1, nil, nil), false, false, "not observed generation"},
		{"daemonset ready", u("apps/v1", "DaemonSet", 1, nil, map[string]any{
			"observedGeneration": int64(1), "desiredNumberScheduled": int64(2), "numberReady": int64(2), "updatedNumberScheduled": int64(2)}), true, false, ""},
		{"daemonset not ready", u("apps/v1", "DaemonSet", 1, nil, map[string]any{
			"observedGeneration": int64(1), "desiredNumberScheduled": int64(2), "numberReady": int64(1), "updatedNumberScheduled": int64(2)}), false, false, "1/2 pods ready"},
		{"replicaset ready", u("apps/v1", "ReplicaSet", 1, map[string]any{"replicas": int64(1)}, map[string]any{
			"observedGeneration": int64(1), "readyReplicas": int64(1)}), true, false, ""},
		{"namespace active", u("v1", "Namespace", 0, nil, map[string]any{"phase": "Active"}), true, false, ""},
		{"namespace terminating", u("v1", "Namespace", 0, nil, map[string]any{"phase": "Terminating"}), false, false, "Terminating"},
		{"crd established", u("apiextensions.k8s.io/v1", "CustomResourceDefinition", 1, nil, map[string]any{
			"conditions": conds("NamesAccepted", "True", "", "Established", "True", "")}), true, false, ""},
		{"crd pending", u("apiextensions.k8s.io/v1", "CustomResourceDefinition", 1, nil, nil), false, false, "Established not reported"},
		{"crd name conflict", u("apiextensions.k8s.io/v1", "CustomResourceDefinition", 1, nil, map[string]any{
			"conditions": conds("NamesAccepted", "False", "ConflictingNames")}), false, true, ""},
		{"job running", u("batch/v1", "Job", 1, nil, map[string]any{"active": int64(1)}), false, false, "0/1 completions"},
		{"job complete", u("batch/v1", "Job", 1, nil, map[string]any{"conditions": conds("Complete", "True", "")}), true, false, ""},
		{"job failed", u("batch/v1", "Job", 1, nil, map[string]any{"conditions": conds("Failed", "True", "BackoffLimitExceeded")}), false, true, ""},
		{"pod ready", u("v1", "Pod", 0, nil, map[string]any{"phase": "Running", "conditions": conds("Ready", "True", "")}), true, false, ""},
		{"pod pulling", u("v1", "Pod", 0, nil, map[string]any{"phase": "Pending", "containerStatuses": []any{
			map[string]any{"name": "app", "state": map[string]any{"waiting": map[string]any{"reason": "ImagePullBackOff"}}}}}),
			false, false, "container app: ImagePullBackOff"},
		{"pod failed", u("v1", "Pod", 0, nil, map[string]any{"phase": "Failed"}), false, true, ""},
		{"pvc pending", u("v1", "PersistentVolumeClaim", 0, nil, map[string]any{"phase": "Pending"}), false, false, "waiting for Bound"},
		{"pvc bound", u("v1", "PersistentVolumeClaim", 0, nil, map[string]any{"phase": "Bound"}), true, false, ""},
		{"service with ip", u("v1", "Service", 0, map[string]any{"clusterIP": "10.0.0.7"}, nil), true, false, ""},
		{"headless service", u("v1", "Service", 0, map[string]any{"clusterIP": "None"}, nil), true, false, ""},
		{"external name service", u("v1", "Service", 0, map[string]any{"type": "ExternalName"}, nil), true, false, ""},
		{"service without ip", u("v1", "Service", 0, map[string]any{}, nil), false, false, "cluster IP"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			gvk := c.obj.GroupVersionKind()
			check := readyCheckFor(gvk.Group, gvk.Kind)
			if check == nil {
				t.Fatalf("no readiness check for %v", gvk)
			}
			r := check(c.obj)
			if r.ready != c.ready || (r.failed != nil) != c.failed {
				t.Fatalf("ready=%v failed=%v status=%q, want ready=%v failed=%v", r.ready, r.failed, r.status, c.ready, c.failed)
			}
			if c.mention != "" && !strings.Contains(r.status, c.mention) {
				t.Fatalf("status %q does not mention %q", r.status, c.mention)
			}
		})
	}
}

func TestNoReadinessForPlainKinds(t *testing.T) {
	for _, gk := range [][2]string{{"", "ConfigMap"}, {"", "Secret"}, {"rbac.authorization.k8s.io", "Role"}, {"example.com", "Deployment"}} {
		if readyCheckFor(gk[0], gk[1]) != nil {
			t.Errorf("%v should be ready once applied", gk)
		}
	}
}

func TestAwaitTimeout(t *testing.T) {
	annotated := u("v1", "Pod", 0, nil, nil)
	annotated.SetAnnotations(map[string]string{timeoutAnnotation: "42"})
	plain := u("v1", "Pod", 0, nil, nil)
	cases := []struct {
		seconds float64
		obj     *unstructured.Unstructured
		want    time.Duration
	}{
		{0, plain, 10 * time.Minute},
		{30, plain, 30 * time.Second},
		{0, annotated, 42 * time.Second},
		{5, annotated, 5 * time.Second},
	}
	for _, c := range cases {
		if got := awaitTimeout(c.seconds, c.obj); got != c.want {
			t.Errorf("awaitTimeout(%v, %v) = %v, want %v", c.seconds, c.obj.GetAnnotations(), got, c.want)
		}
	}
}
