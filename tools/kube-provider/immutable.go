package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// immutableRule lists the fields of a kind that the API server refuses to
// change in place (so the provider replaces the object), and exceptions
// inside them that can change.
type immutableRule struct {
	fields [][]string // "*" matches any key or list position
	except [][]string
}

func paths(ps ...string) [][]string {
	out := make([][]string, len(ps))
	for i, p := range ps {
		out[i] = splitDots(p)
	}
	return out
}

func splitDots(p string) []string {
	var segs []string
	start := 0
	for i := 0; i <= len(p); i++ {
		if i == len(p) || p[i] == '.' {
			segs = append(segs, p[start:i])
			start = i + 1
		}
	}
	return segs
}

// immutableFields returns the rule for a kind. olds matter for kinds whose
// immutability is switched on by the object itself (immutable: true).
func immutableFields(gvk schema.GroupVersionKind, olds resource.PropertyMap) immutableRule {
	switch gvk.Group + "/" + gvk.Kind {
	case "apps/Deployment", "apps/ReplicaSet", "apps/DaemonSet":
		return immutableRule{fields: paths("spec.selector")}
	case "apps/StatefulSet":
		return immutableRule{fields: paths("spec.selector", "spec.volumeClaimTemplates", "spec.serviceName", "spec.podManagementPolicy")}
	case "batch/Job":
		return immutableRule{fields: paths("spec.template", "spec.selector")}
	case "/Service":
		return immutableRule{fields: paths("spec.clusterIP", "spec.clusterIPs")}
	case "/PersistentVolumeClaim":
		return immutableRule{fields: paths("spec"), except: paths("spec.resources.requests", "spec.volumeAttributesClassName")}
	case "/Pod":
		return immutableRule{
			fields: paths("spec"),
			except: paths("spec.containers.*.image", "spec.initContainers.*.image", "spec.activeDeadlineSeconds", "spec.tolerations"),
		}
	case "/Secret", "/ConfigMap":
		if v, ok := lookup(olds, "immutable"); ok && v.IsBool() && v.BoolValue() {
			return immutableRule{fields: paths("data", "stringData", "binaryData", "immutable")}
		}
	case "rbac.authorization.k8s.io/RoleBinding", "rbac.authorization.k8s.io/ClusterRoleBinding":
		return immutableRule{fields: paths("roleRef")}
	case "storage.k8s.io/StorageClass":
		return immutableRule{fields: paths("provisioner", "parameters", "reclaimPolicy", "volumeBindingMode")}
	}
	return immutableRule{}
}
