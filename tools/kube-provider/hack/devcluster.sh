#!/usr/bin/env bash
# Starts a throwaway control plane for checking the provider by hand:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok with
# one fake Node (so Deployments really become ready), all on loopback.
#
#   hack/devcluster.sh start DIR [APISERVER_PORT] [ETCD_PORT]   # writes DIR/kubeconfig, DIR/pids
#   hack/devcluster.sh stop DIR                                 # kills exactly the pids it started
#
# Binaries come from $PLEDGE_BIN (default /root/.cache/pledge/scratch/bin);
# kwok stage files from $KWOK_STAGES. Needs openssl and curl.
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?directory}
bin=${PLEDGE_BIN:-/root/.cache/pledge/scratch/bin}
stages=${KWOK_STAGES:-$(ls -d /root/.cache/pledge/tools/control-plane-*/kwok-stages 2>/dev/null | head -1)}

if [[ $cmd == stop ]]; then
  [[ -f $dir/pids ]] || exit 0
  # Newest first: the API server hangs on shutdown if etcd is already gone.
  # Whatever has not exited after a grace period is killed outright.
  for pid in $(tac "$dir/pids"); do
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -f "$dir/pids"
  exit 0
fi

api=${3:-17443}; etcd=${4:-24791}
for b in etcd kube-apiserver kube-controller-manager kube-scheduler kwok; do
  [[ -x $bin/$b ]] || { echo "missing $bin/$b" >&2; exit 1; }
done
mkdir -p "$dir/pki"
[[ -f $dir/pki/sa.key ]] || openssl genrsa -out "$dir/pki/sa.key" 2048 2>/dev/null
echo 'admintoken,admin,admin,"system:masters"' > "$dir/tokens.csv"
cat > "$dir/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: dev
  cluster: {server: "https://127.0.0.1:$api", insecure-skip-tls-verify: true}
users:
- name: admin
  user: {token: admintoken}
contexts:
- name: dev
  context: {cluster: dev, user: admin}
current-context: dev
KC
: > "$dir/pids"
run() { local name=$1; shift; "$@" > "$dir/$name.log" 2>&1 & echo $! >> "$dir/pids"; }

run etcd "$bin/etcd" --name=node0 --data-dir="$dir/etcd" \
  --listen-client-urls=http://127.0.0.1:$etcd --advertise-client-urls=http://127.0.0.1:$etcd \
  --listen-peer-urls=http://127.0.0.1:$((etcd+1)) --initial-advertise-peer-urls=http://127.0.0.1:$((etcd+1)) \
  --initial-cluster=node0=http://127.0.0.1:$((etcd+1)) --unsafe-no-fsync=true
run apiserver "$bin/kube-apiserver" --etcd-servers=http://127.0.0.1:$etcd --bind-address=127.0.0.1 \
  --advertise-address=127.0.0.1 --secure-port=$api --cert-dir="$dir/pki" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$dir/pki/sa.key" --service-account-signing-key-file="$dir/pki/sa.key" \
  --service-cluster-ip-range=10.0.0.0/24 --authorization-mode=RBAC --token-auth-file="$dir/tokens.csv" \
  --allow-privileged=true --shutdown-delay-duration=0s
for _ in $(seq 1 120); do
  curl -ksf -H "Authorization: Bearer admintoken" "https://127.0.0.1:$api/readyz" >/dev/null 2>&1 && break
  sleep 1
done
curl -ksf -H "Authorization: Bearer admintoken" "https://127.0.0.1:$api/readyz" >/dev/null || { echo "apiserver not ready; see $dir/apiserver.log" >&2; exit 1; }
run kcm "$bin/kube-controller-manager" --kubeconfig="$dir/kubeconfig" --bind-address=127.0.0.1 --secure-port=0 \
  --leader-elect=false --service-account-private-key-file="$dir/pki/sa.key" \
  --root-ca-file="$dir/pki/apiserver.crt" --use-service-account-credentials=false
run scheduler "$bin/kube-scheduler" --kubeconfig="$dir/kubeconfig" --bind-address=127.0.0.1 --secure-port=0 --leader-elect=false
stage_args=(); for f in "$stages"/*.yaml; do stage_args+=("--config=$f"); done
run kwok "$bin/kwok" --kubeconfig="$dir/kubeconfig" --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --node-lease-duration-seconds=40 --server-address= "${stage_args[@]}"
curl -ksf -o /dev/null -X POST -H "Authorization: Bearer admintoken" -H "Content-Type: application/json" \
  "https://127.0.0.1:$api/api/v1/nodes" -d '{"apiVersion":"v1","kind":"Node","metadata":{"name":"kwok-node-0",
  "annotations":{"kwok.x-k8s.io/node":"fake","node.alpha.kubernetes.io/ttl":"0"},
  "labels":{"kubernetes.io/hostname":"kwok-node-0","kubernetes.io/os":"linux","type":"kwok"}},
  "status":{"allocatable":{"cpu":"32","memory":"256Gi","pods":"110"},"capacity":{"cpu":"32","memory":"256Gi","pods":"110"}}}' || true
echo "cluster up: https://127.0.0.1:$api kubeconfig=$dir/kubeconfig pids=$(tr '\n' ' ' < "$dir/pids")"
