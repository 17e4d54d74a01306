//go:build tools

// Package tools pins the local control plane: etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler and kwok, built in one module graph
// so they share compiled dependencies. k8s.io/kubernetes replaces its staging
// modules with local paths; go.mod maps each of them to its published v0.36.3.
package tools

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "sigs.k8s.io/kwok/cmd/kwok"
)
