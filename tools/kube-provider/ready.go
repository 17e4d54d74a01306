package main

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// readiness is what a readiness check concludes about one observation of an object.
type readiness struct {
	ready  bool
	status string // what the object is waiting for (or its state), for progress and timeout messages
	failed error  // a terminal failure: waiting longer will not help
}

// readyCheck inspects one observation of an object.
type readyCheck func(obj *unstructured.Unstructured) readiness

// readyChecks maps "group/Kind" to its readiness check; kinds not listed are
// ready as soon as the API server has accepted them.
var readyChecks = map[string]readyCheck{
	"apps/Deployment":        deploymentReady,
	"apps/StatefulSet":       statefulSetReady,
	"apps/DaemonSet":         daemonSetReady,
	"apps/ReplicaSet":        replicaSetReady,
	"batch/Job":              jobReady,
	"/Namespace":             namespaceReady,
	"/Pod":                   podReady,
	"/PersistentVolumeClaim": pvcReady,
	"/Service":               serviceReady,
	"apiextensions.k8s.io/CustomResourceDefinition": crdReady,
}

func readyCheckFor(group, kind string) readyCheck { return readyChecks[group+"/"+kind] }

// num reads an integer field (absent means 0, as the API omits zero counts).
func num(obj *unstructured.Unstructured, fields ...string) int64 {
	v, ok, _ := unstructured.NestedFieldNoCopy(obj.Object, fields...)
	if !ok {
		return 0
	}
	switch n := v.(type) {
	case int64:
		return n
	case int:
		return int64(n)
	case float64:
		return int64(n)
	}
	return 0
}

// numOr reads an integer field with a default for when it is absent.
func numOr(obj *unstructured.Unstructured, def int64, fields ...string) int64 {
	if _, ok, _ := unstructured.NestedFieldNoCopy(obj.Object, fields...); !ok {
		return def
	}
	return num(obj, fields...)
}

func str(obj *unstructured.Unstructured, fields ...string) string {
	s, _, _ := unstructured.NestedString(obj.Object, fields...)
	return s
}

// condition is one entry of status.conditions.
type condition struct {
	found                   bool
	status, reason, message string
}

func getCondition(obj *unstructured.Unstructured, typ string) condition {
	conds, _, _ := unstructured.NestedSlice(obj.Object, "status", "conditions")
	for _, c := range conds {
		m, ok := c.(map[string]any)
		if !ok || m["type"] != typ {
			continue
		}
		s := func(k string) string { v, _ := m[k].(string); return v }
		return condition{found: true, status: s("status"), reason: s("reason"), message: s("message")}
	}
	return condition{}
}

// describeCondition renders "condition Available=False: MinimumReplicasUnavailable".
func describeCondition(typ string, c condition) string {
	if !c.found {
		return "condition " + typ + " not reported yet"
	}
	s := "condition " + typ + "=" + c.status
	if c.reason != "" {
		s += ": " + c.reason
	}
	return s
}

func objName(obj *unstructured.Unstructured) string {
	return describe(obj.GetKind(), obj.GetNamespace(), obj.GetName())
}

// generationObserved is false until the controller has seen the latest spec;
// status fields before that describe an older spec.
func generationObserved(obj *unstructured.Unstructured) (bool, string) {
	gen, observed := obj.GetGeneration(), num(obj, "status", "observedGeneration")
	if observed < gen {
		return false, fmt.Sprintf("%s: controller has not observed generation %d yet (observed %d)", objName(obj), gen, observed)
	}
	return true, ""
}

func deploymentReady(obj *unstructured.Unstructured) readiness {
	if ok, msg := generationObserved(obj); !ok {
		return readiness{status: msg}
	}
	want := numOr(obj, 1, "spec", "replicas")
	updated, available := num(obj, "status", "updatedReplicas"), num(obj, "status", "availableReplicas")
	avail, prog := getCondition(obj, "Available"), getCondition(obj, "Progressing")
	status := fmt.Sprintf("%s: %d/%d replicas available", objName(obj), available, want)
	if updated != want {
		status += fmt.Sprintf(", %d/%d updated", updated, want)
	}
	status += "; " + describeCondition("Available", avail)
	if prog.status == "False" && prog.reason == "ProgressDeadlineExceeded" {
		return readiness{status: status, failed: fmt.Errorf("%s: rollout failed: %s", objName(obj), prog.message)}
	}
	if paused, _, _ := unstructured.NestedBool(obj.Object, "spec", "paused"); paused {
		return readiness{ready: true, status: objName(obj) + ": paused"}
	}
	ready := avail.status == "True" && prog.reason == "NewReplicaSetAvailable" && updated == want && available >= want
	if !ready && avail.status == "True" && prog.reason != "NewReplicaSetAvailable" {
		status += "; " + describeCondition("Progressing", prog)
	}
	return readiness{ready: ready, status: status}
}

func statefulSetReady(obj *unstructured.Unstructured) readiness {
	if ok, msg := generationObserved(obj); !ok {
		return readiness{status: msg}
	}
	want := numOr(obj, 1, "spec", "replicas")
	ready, updated := num(obj, "status", "readyReplicas"), num(obj, "status", "updatedReplicas")
	// With OnDelete updates, pods change only when someone deletes them.
	onDelete := str(obj, "spec", "updateStrategy", "type") == "OnDelete"
	status := fmt.Sprintf("%s: %d/%d replicas ready, %d/%d updated", objName(obj), ready, want, updated, want)
	return readiness{ready: ready == want && (onDelete || updated == want), status: status}
}

func daemonSetReady(obj *unstructured.Unstructured) readiness {
	if ok, msg := generationObserved(obj); !ok {
		return readiness{status: msg}
	}
	desired := num(obj, "status", "desiredNumberScheduled")
	ready, updated := num(obj, "status", "numberReady"), num(obj, "status", "updatedNumberScheduled")
	onDelete := str(obj, "spec", "updateStrategy", "type") == "OnDelete"
	status := fmt.Sprintf("%s: %d/%d pods ready, %d/%d updated", objName(obj), ready, desired, updated, desired)
	return readiness{ready: ready == desired && (onDelete || updated == desired), status: status}
}

func replicaSetReady(obj *unstructured.Unstructured) readiness {
	if ok, msg := generationObserved(obj); !ok {
		return readiness{status: msg}
	}
	want := numOr(obj, 1, "spec", "replicas")
	ready := num(obj, "status", "readyReplicas")
	return readiness{ready: ready >= want, status: fmt.Sprintf("%s: %d/%d replicas ready", objName(obj), ready, want)}
}

func jobReady(obj *unstructured.Unstructured) readiness {
	if suspended, _, _ := unstructured.NestedBool(obj.Object, "spec", "suspend"); suspended {
		return readiness{ready: true, status: objName(obj) + ": suspended"}
	}
	if c := getCondition(obj, "Failed"); c.status == "True" {
		return readiness{status: objName(obj) + ": failed", failed: fmt.Errorf("%s failed: %s: %s", objName(obj), c.reason, c.message)}
	}
	want := numOr(obj, 1, "spec", "completions")
	status := fmt.Sprintf("%s: %d/%d completions succeeded, %d active", objName(obj),
		num(obj, "status", "succeeded"), want, num(obj, "status", "active"))
	return readiness{ready: getCondition(obj, "Complete").status == "True", status: status}
}

func namespaceReady(obj *unstructured.Unstructured) readiness {
	phase := str(obj, "status", "phase")
	return readiness{ready: phase == "Active", status: fmt.Sprintf("%s: phase %q", objName(obj), phase)}
}

func podReady(obj *unstructured.Unstructured) readiness {
	phase := str(obj, "status", "phase")
	switch phase {
	case "Succeeded":
		return readiness{ready: true, status: objName(obj) + ": succeeded"}
	case "Failed":
		return readiness{status: objName(obj) + ": failed",
			failed: fmt.Errorf("%s failed: %s %s", objName(obj), str(obj, "status", "reason"), str(obj, "status", "message"))}
	}
	ready := getCondition(obj, "Ready")
	status := fmt.Sprintf("%s: phase %q; %s", objName(obj), phase, describeCondition("Ready", ready))
	if waiting := waitingReasons(obj); waiting != "" {
		status += "; " + waiting
	}
	return readiness{ready: ready.status == "True", status: status}
}

// waitingReasons summarises why containers are not running (ImagePullBackOff, ...).
func waitingReasons(obj *unstructured.Unstructured) string {
	statuses, _, _ := unstructured.NestedSlice(obj.Object, "status", "containerStatuses")
	var out []string
	for _, s := range statuses {
		m, _ := s.(map[string]any)
		reason, ok, _ := unstructured.NestedString(m, "state", "waiting", "reason")
		if ok && reason != "" {
			out = append(out, fmt.Sprintf("container %v: %s", m["name"], reason))
		}
	}
	return strings.Join(out, ", ")
}

func pvcReady(obj *unstructured.Unstructured) readiness {
	phase := str(obj, "status", "phase")
	if phase == "Lost" {
		return readiness{status: objName(obj) + ": lost", failed: fmt.Errorf("%s: its volume is lost", objName(obj))}
	}
	return readiness{ready: phase == "Bound", status: fmt.Sprintf("%s: phase %q, waiting for Bound", objName(obj), phase)}
}

func serviceReady(obj *unstructured.Unstructured) readiness {
	if str(obj, "spec", "type") == "ExternalName" {
		return readiness{ready: true}
	}
	ip := str(obj, "spec", "clusterIP")
	return readiness{ready: ip != "", status: objName(obj) + ": waiting for a cluster IP"}
}

func crdReady(obj *unstructured.Unstructured) readiness {
	if c := getCondition(obj, "NamesAccepted"); c.status == "False" {
		return readiness{status: objName(obj) + ": names not accepted",
			failed: fmt.Errorf("%s: names not accepted: %s", objName(obj), c.message)}
	}
	est := getCondition(obj, "Established")
	return readiness{ready: est.status == "True", status: objName(obj) + ": " + describeCondition("Established", est)}
}
