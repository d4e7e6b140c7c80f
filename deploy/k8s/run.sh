#!/usr/bin/env bash
# Runs one distributed surge test on the Kubernetes cluster of the current kubectl context:
#   1. renders an overlay of deploy/k8s with N segments, a start time and an image (kustomize, built into kubectl);
#   2. applies it: plan ConfigMap, results volume, the Indexed Job of N pods, the merge Job (suspended);
#   3. waits for the N segments to finish, resumes the merge Job and prints its summary;
#   4. copies results.json, report.html and the parts to ./surge-results-<RUN_ID>/.
# Exits with the merge's code: 0 every SLA passed, 99 one failed, 2 a part is missing or invalid, 1 a part was
# interrupted (or this script could not read the merge's code).
# Guide: docs/distributed.md. Needs bash, kubectl (kustomize built in) and GNU coreutils' realpath (on macOS:
# brew install coreutils).
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: deploy/k8s/run.sh [-n N] [--start-in SECONDS | --start-at TIME] [--image IMAGE] [--namespace NS]
                         [--demo-target] [--render DIR]
  -n N              segments (pods), default 4: completions, parallelism and --segment I/N all take N
  --start-in S      start the first phase S seconds from now (default 90): time for N pods to be scheduled
                    and to pull the image; a pod that is not running by then exits 2 and its segment is lost
  --start-at TIME   start at this RFC 3339 UTC time instead (2026-12-01T10:00:00Z)
  --image IMAGE     the surge image the pods run (default surge:0.1.0), e.g. registry.example/surge:0.1.0
  --namespace NS    namespace for everything (default: the context's)
  --demo-target     also deploy target-serve.yaml (surge serve behind the Service surge-serve) first
  --render DIR      write the overlay to DIR/kustomization.yaml and exit, without calling kubectl
                    (then `kubectl apply -k DIR` applies it)
USAGE
}

segments=4
start_in=90
start_at=""
image="surge:0.1.0"
namespace=""
demo_target=false
render_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    -n) segments="${2:?-n needs a number}"; shift 2 ;;
    --start-in) start_in="${2:?--start-in needs seconds}"; shift 2 ;;
    --start-at) start_at="${2:?--start-at needs a time}"; shift 2 ;;
    --image) image="${2:?--image needs an image}"; shift 2 ;;
    --namespace) namespace="${2:?--namespace needs a name}"; shift 2 ;;
    --demo-target) demo_target=true; shift ;;
    --render) render_dir="${2:?--render needs a folder}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

# The same bounds as the Job: an Indexed Job allows up to 100,000 completions, and each pod needs a core or two.
if ! [[ "$segments" =~ ^[1-9][0-9]{0,4}$ ]]; then
  echo "run.sh: -n must be a whole number from 1 to 99999, got '$segments'" >&2; exit 2
fi
if ! [[ "$start_in" =~ ^[0-9]+$ ]]; then
  echo "run.sh: --start-in must be whole seconds, got '$start_in'" >&2; exit 2
fi
if [ -z "$start_at" ]; then
  start_epoch=$(( $(date +%s) + start_in ))
  # GNU date reads an epoch with -d @N, BSD date (macOS) with -r N.
  start_at="$(date -u -d "@$start_epoch" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -r "$start_epoch" +%Y-%m-%dT%H:%M:%SZ)"
elif ! [[ "$start_at" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]]; then
  echo "run.sh: --start-at must be an RFC 3339 UTC time like 2026-12-01T10:00:00Z, got '$start_at'" >&2; exit 2
fi
# The run's folder on the results volume: its start time, which two tests cannot share.
run_id="run-$(echo "$start_at" | tr -d ':-' | tr 'TZ' 't ' | tr -d ' ')"
image_name="${image%:*}"
image_tag="${image##*:}"
if [ "$image_name" = "$image" ] || [[ "$image_tag" == */* ]]; then image_name="$image"; image_tag="latest"; fi

base_dir="$(cd "$(dirname "$0")" && pwd)"

# Writes the overlay into folder $1. kustomize takes its base as a path relative to the overlay.
render() {
  mkdir -p "$1"
  local base
  base="$(realpath --relative-to="$1" "$base_dir")"
  cat > "$1/kustomization.yaml" <<YAML
# Overlay of $base_dir for one test: $segments segments from $start_at.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - $base
images:
  - name: surge
    newName: $image_name
    newTag: "$image_tag"
patches:
  - target:
      group: batch
      version: v1
      kind: Job
      name: surge-segments
    patch: |-
      - op: replace
        path: /spec/completions
        value: $segments
      - op: replace
        path: /spec/parallelism
        value: $segments
generatorOptions:
  disableNameSuffixHash: true
configMapGenerator:
  - name: surge-run
    behavior: replace
    literals:
      - SEGMENT_COUNT=$segments
      - START_AT=$start_at
      - RUN_ID=$run_id
YAML
}

if [ -n "$render_dir" ]; then render "$render_dir"; exit 0; fi

command -v kubectl >/dev/null || { echo "run.sh: kubectl not found" >&2; exit 1; }
kc=(kubectl)
[ -n "$namespace" ] && kc+=(--namespace "$namespace")

overlay="$(mktemp -d)"
trap 'rm -rf "$overlay"' EXIT

# Waits until job/$1 has the condition Complete or Failed and prints which. Bounded by the Job's own
# activeDeadlineSeconds, after which Kubernetes marks it Failed.
wait_for_job() {
  local state=""
  while :; do
    state="$("${kc[@]}" get job "$1" -o jsonpath='{.status.conditions[?(@.status=="True")].type}')"
    case " $state " in
      *" Complete "*) echo Complete; return ;;
      *" Failed "*) echo Failed; return ;;
    esac
    sleep 5
  done
}

if $demo_target; then
  sed "s|image: surge:0.1.0|image: $image|" "$base_dir/target-serve.yaml" | "${kc[@]}" apply -f -
  "${kc[@]}" rollout status deployment/surge-serve --timeout=300s
fi

# Jobs cannot be changed once created: the previous test's go first (their parts stay on the volume).
"${kc[@]}" delete job surge-segments surge-merge --ignore-not-found --wait=true
render "$overlay"
"${kc[@]}" apply -k "$overlay"
if "${kc[@]}" get crd podmonitors.monitoring.coreos.com >/dev/null 2>&1; then
  "${kc[@]}" apply -f "$base_dir/podmonitor.yaml"
else
  echo "run.sh: no PodMonitor CRD (Prometheus Operator); Prometheus can scrape the pods by their prometheus.io annotations"
fi
echo "run.sh: $segments segments start at $start_at (run $run_id); following job/surge-segments"

segments_state="$(wait_for_job surge-segments)"
echo "run.sh: surge-segments: $segments_state"
"${kc[@]}" patch job surge-merge --type merge -p '{"spec":{"suspend":false}}'
merge_state="$(wait_for_job surge-merge)"
"${kc[@]}" logs job/surge-merge || true
merge_code="$("${kc[@]}" get pods -l job-name=surge-merge \
  -o jsonpath='{.items[0].status.containerStatuses[0].state.terminated.exitCode}')"
echo "run.sh: surge-merge: $merge_state (exit code ${merge_code:-unknown})"

sed "s|image: surge:0.1.0|image: $image|" "$base_dir/results-pod.yaml" | "${kc[@]}" apply -f -
"${kc[@]}" wait --for=condition=Ready pod/surge-results --timeout=300s
"${kc[@]}" cp "surge-results:/results" "./surge-results-$run_id"
"${kc[@]}" delete pod surge-results --wait=false
echo "run.sh: results in ./surge-results-$run_id (results.json, report.html, part-*.json)"
exit "${merge_code:-1}"
