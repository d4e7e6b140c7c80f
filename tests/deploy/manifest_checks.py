"""Checks of deploy/k8s: each manifest against its schema, and the wiring between them that no schema sees.

The wiring is where a deployment breaks silently: Kubernetes leaves a `$(NAME)` it cannot resolve in the
arguments as literal text, mounts an empty folder for a missing ConfigMap key, and scrapes nothing when a
selector matches no pod. Each check returns a list of problems (empty: pass).
"""
import os
import re
import subprocess
import tempfile

import jsonschema
import yaml

import k8s_schemas

MANIFESTS = ["results-pvc.yaml", "segments-job.yaml", "merge-job.yaml", "podmonitor.yaml", "target-serve.yaml",
             "results-pod.yaml"]


def load_docs(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def k8s_dir(repo):
    return os.path.join(repo, "deploy", "k8s")


def objects(repo):
    """Every object of deploy/k8s by (kind, name)."""
    found = {}
    for name in MANIFESTS:
        for doc in load_docs(os.path.join(k8s_dir(repo), name)):
            found[(doc.get("kind"), doc.get("metadata", {}).get("name"))] = doc
    return found


def kustomization(repo):
    return load_docs(os.path.join(k8s_dir(repo), "kustomization.yaml"))[0]


def generator_literals(kust, name):
    for gen in kust.get("configMapGenerator", []):
        if gen["name"] == name:
            return dict(item.split("=", 1) for item in gen.get("literals", []))
    return None


def schema_errors(label, doc, schema):
    validator = jsonschema.Draft7Validator(schema)
    return [f"{label}: {'/'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}"
            for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))]


def check_manifests_match_schemas(repo, _surge):
    problems = []
    kinds = set()
    for name in MANIFESTS:
        for doc in load_docs(os.path.join(k8s_dir(repo), name)):
            kind = doc.get("kind")
            kinds.add(kind)
            schema = k8s_schemas.BY_KIND.get(kind)
            if schema is None:
                problems.append(f"{name}: no schema for kind {kind!r}")
                continue
            problems += schema_errors(f"{name} {kind}", doc, schema)
    problems += schema_errors("kustomization.yaml", kustomization(repo), k8s_schemas.KUSTOMIZATION)
    for resource in kustomization(repo)["resources"]:
        if not os.path.isfile(os.path.join(k8s_dir(repo), resource)):
            problems.append(f"kustomization.yaml: resource {resource} does not exist")
    if not {"Job", "PersistentVolumeClaim", "PodMonitor"} <= kinds:
        problems.append(f"expected a Job, a PersistentVolumeClaim and a PodMonitor, found {sorted(kinds)}")
    return problems


def container_env(container):
    return {e["name"]: e for e in container.get("env", [])}


def unresolved_references(label, container, volume_mounts):
    """$(NAME) in command, args or subPathExpr that the container's env does not declare."""
    env = container_env(container)
    texts = container.get("command", []) + container.get("args", [])
    texts += [m["subPathExpr"] for m in volume_mounts if "subPathExpr" in m]
    return [f"{label}: $({ref}) is not declared in env, Kubernetes would pass it verbatim"
            for text in texts for ref in re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", text) if ref not in env]


def config_map_refs(label, container, kust):
    """Every configMapKeyRef names a ConfigMap and key that kustomization.yaml generates."""
    problems = []
    for e in container.get("env", []):
        ref = e.get("valueFrom", {}).get("configMapKeyRef")
        if ref is None:
            continue
        literals = generator_literals(kust, ref["name"])
        if literals is None or ref["key"] not in literals:
            problems.append(f"{label}: env {e['name']} reads {ref['name']}/{ref['key']}, which is not generated")
    return problems


def option_value(args, flag):
    return args[args.index(flag) + 1] if flag in args and args.index(flag) + 1 < len(args) else None


def check_segments_job_wiring(repo, _surge):
    objs, kust = objects(repo), kustomization(repo)
    job = objs[("Job", "surge-segments")]
    spec, pod = job["spec"], job["spec"]["template"]["spec"]
    container = pod["containers"][0]
    args, mounts = container.get("args", []), container.get("volumeMounts", [])
    run = generator_literals(kust, "surge-run") or {}
    problems = []
    if spec.get("completionMode") != "Indexed":
        problems.append("surge-segments: completionMode must be Indexed (JOB_COMPLETION_INDEX is the segment)")
    if not (spec.get("completions") == spec.get("parallelism") == int(run.get("SEGMENT_COUNT", -1))):
        problems.append(f"surge-segments: completions {spec.get('completions')}, parallelism "
                        f"{spec.get('parallelism')} and SEGMENT_COUNT {run.get('SEGMENT_COUNT')} must be one N")
    if pod.get("restartPolicy") != "Never" or spec.get("backoffLimitPerIndex") != 0:
        problems.append("surge-segments: a failed segment must not rerun late (restartPolicy Never, "
                        "backoffLimitPerIndex 0)")
    if args[:2] != ["run", "/plan/plan.yaml"]:
        problems.append(f"surge-segments: args must start with run /plan/plan.yaml, found {args[:2]}")
    expected = {"--segment": "$(JOB_COMPLETION_INDEX)/$(SEGMENT_COUNT)", "--start-at": "$(START_AT)",
                "--prometheus": "0.0.0.0:9464", "--out": "json=/results/part-$(JOB_COMPLETION_INDEX).json"}
    for flag, value in expected.items():
        if option_value(args, flag) != value:
            problems.append(f"surge-segments: {flag} must be {value}, found {option_value(args, flag)}")
    index = container_env(container).get("JOB_COMPLETION_INDEX", {})
    if index.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") != \
            "metadata.annotations['batch.kubernetes.io/job-completion-index']":
        problems.append("surge-segments: JOB_COMPLETION_INDEX must come from the job-completion-index annotation")
    problems += unresolved_references("surge-segments", container, mounts)
    problems += config_map_refs("surge-segments", container, kust)
    problems += plan_mount_problems(repo, kust, pod, container)
    problems += results_mount_problems("surge-segments", objs, pod, container)
    if "ReadWriteMany" not in objs[("PersistentVolumeClaim", "surge-results")]["spec"]["accessModes"]:
        problems.append("surge-results: pods on different nodes share it, so it must be ReadWriteMany")
    return problems


def plan_mount_problems(repo, kust, pod, container):
    """The plan argument is the ConfigMap's key plan.yaml, mounted where the argument says."""
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    plan_arg = container["args"][1]
    for mount in container.get("volumeMounts", []):
        config_map = volumes.get(mount["name"], {}).get("configMap")
        if config_map is None or not plan_arg.startswith(mount["mountPath"].rstrip("/") + "/"):
            continue
        file_in_mount = plan_arg[len(mount["mountPath"].rstrip("/")) + 1:]
        paths = {item["path"]: item["key"] for item in config_map.get("items", [])}
        key = paths.get(file_in_mount, file_in_mount if not paths else None)
        generator = [g for g in kust.get("configMapGenerator", []) if g["name"] == config_map["name"]]
        keys = {os.path.basename(f.split("=", 1)[-1]) if "=" not in f else f.split("=", 1)[0]
                for g in generator for f in g.get("files", [])}
        if key is None:
            return [f"surge-segments: the ConfigMap volume at {mount['mountPath']} has no item {file_in_mount}"]
        if key not in keys:
            return [f"surge-segments: {plan_arg} is key {key} of ConfigMap {config_map['name']}, which has {keys}"]
        files = [f for g in generator for f in g.get("files", [])]
        missing = [f for f in files if not os.path.isfile(os.path.join(k8s_dir(repo), f.split("=", 1)[-1]))]
        return [f"kustomization.yaml: plan file {f} does not exist" for f in missing]
    return [f"surge-segments: no ConfigMap volume is mounted where {plan_arg} is"]


def results_mount_problems(label, _objs, pod, container):
    """/results is the shared claim, in the test's own RUN_ID folder."""
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    problems = []
    for mount in container.get("volumeMounts", []):
        if mount["mountPath"] == "/results":
            claim = volumes.get(mount["name"], {}).get("persistentVolumeClaim", {}).get("claimName")
            if claim != "surge-results":
                problems.append(f"{label}: /results is {claim!r}, not the claim surge-results")
            if mount.get("subPathExpr") != "$(RUN_ID)":
                problems.append(f"{label}: /results must be the folder $(RUN_ID) of the volume")
            return problems
    return problems + [f"{label}: nothing is mounted at /results"]


def check_merge_job_reads_the_parts(repo, _surge):
    objs, kust = objects(repo), kustomization(repo)
    job = objs[("Job", "surge-merge")]
    pod = job["spec"]["template"]["spec"]
    container = pod["containers"][0]
    script = " ".join(container.get("command", []) + container.get("args", []))
    problems = []
    if job["spec"].get("suspend") is not True:
        problems.append("surge-merge: must be created suspended, run.sh resumes it after the segments")
    if "merge-job.yaml" not in kust["resources"]:
        problems.append("kustomization.yaml: merge-job.yaml is not a resource")
    if not re.search(r"\bexec surge merge /results/part-\*\.json\b", script):
        problems.append(f"surge-merge: must exec surge merge /results/part-*.json, found {script!r}")
    for kind in ("json", "html"):
        if f"--out {kind}=/results/" not in script:
            problems.append(f"surge-merge: no --out {kind}=/results/...")
    problems += unresolved_references("surge-merge", container, container.get("volumeMounts", []))
    problems += config_map_refs("surge-merge", container, kust)
    problems += results_mount_problems("surge-merge", objs, pod, container)
    reader = objs[("Pod", "surge-results")]
    problems += results_mount_problems("surge-results", objs, reader["spec"], reader["spec"]["containers"][0])
    return problems


def check_prometheus_scraping_finds_the_pods(repo, _surge):
    objs = objects(repo)
    template = objs[("Job", "surge-segments")]["spec"]["template"]
    container = template["spec"]["containers"][0]
    port = int(option_value(container["args"], "--prometheus").rsplit(":", 1)[1])
    ports = {p.get("name"): p["containerPort"] for p in container.get("ports", [])}
    monitor = objs[("PodMonitor", "surge")]["spec"]
    labels = template["metadata"]["labels"]
    annotations = template["metadata"].get("annotations", {})
    problems = []
    if not all(labels.get(k) == v for k, v in monitor["selector"]["matchLabels"].items()):
        problems.append(f"podmonitor: selector {monitor['selector']['matchLabels']} misses the pods' {labels}")
    for endpoint in monitor["podMetricsEndpoints"]:
        if ports.get(endpoint["port"]) != port:
            problems.append(f"podmonitor: port {endpoint['port']!r} is {ports.get(endpoint['port'])}, "
                            f"surge serves on {port}")
    if annotations.get("prometheus.io/scrape") != "true" or annotations.get("prometheus.io/port") != str(port):
        problems.append(f"surge-segments: prometheus.io annotations must say scrape true, port {port}")
    return problems


def check_plan_is_valid(repo, surge):
    plan = os.path.join(k8s_dir(repo), "plan.yaml")
    result = subprocess.run([surge, "validate", plan], capture_output=True, text=True, timeout=60)
    return [] if result.returncode == 0 else \
        [f"surge validate {plan} exited {result.returncode}: {result.stdout}{result.stderr}"]
