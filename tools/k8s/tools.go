//go:build tools

// Package tools pins the local control plane (etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, kwok) and, for Git-delivered local
// clusters, Flux's source-controller and kustomize-controller and sops, built
// in one module graph so they share compiled dependencies (k8s.io/* above
// all). k8s.io/kubernetes replaces its staging modules with local paths;
// go.mod maps each of them to its published v0.36.3, which Flux v1.9.6
// accepts. The replaces after those are the Flux controllers' own (go.mod).
package tools

import (
	_ "github.com/fluxcd/kustomize-controller"
	_ "github.com/fluxcd/source-controller"
	_ "github.com/getsops/sops/v3/cmd/sops"
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "sigs.k8s.io/kwok/cmd/kwok"
)
