"""Runs one check of the deployment files (deploy/k8s, Dockerfile); CTest runs each as its own test, label
deploy. Usage: check_deploy.py CHECK --repo DIR --surge BINARY. Prints every problem and exits 1 on any.

Run with Debian's /usr/bin/python3 and its python3-yaml and python3-jsonschema (scripts/install-deps.sh), not
whatever python3 comes first on PATH: a missing module must fail here as it would on a fresh machine.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import yaml  # noqa: E402  (after the path set-up, like the modules below)

import dockerfile_checks  # noqa: E402
import manifest_checks  # noqa: E402


def apply_json_patch(doc, operations):
    """The replace operations of an RFC 6902 patch, as kustomize applies them: the path must exist."""
    problems = []
    for op in operations:
        parts = op["path"].strip("/").split("/")
        node = doc
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node.get(part, {})
        if op["op"] != "replace" or parts[-1] not in node:
            problems.append(f"overlay: patch {op['op']} {op['path']} has no target in the base")
        else:
            node[parts[-1]] = op["value"]
    return problems


def render_overlay(repo, folder, *args):
    return subprocess.run([os.path.join(repo, "deploy", "k8s", "run.sh"), "--render", folder, *args],
                          capture_output=True, text=True, timeout=60)


def check_overlay_sets_n_and_start(repo, _surge):
    """run.sh's overlay gives completions, parallelism and SEGMENT_COUNT one N, and START_AT the given time."""
    problems = []
    with tempfile.TemporaryDirectory() as folder:
        overlay_dir = os.path.join(folder, "overlay")
        rendered = render_overlay(repo, overlay_dir, "-n", "7", "--start-at", "2026-12-01T10:00:00Z",
                                  "--image", "registry.example:5000/surge:1.2")
        if rendered.returncode != 0:
            return [f"run.sh --render exited {rendered.returncode}: {rendered.stderr}"]
        with open(os.path.join(overlay_dir, "kustomization.yaml")) as f:
            overlay = yaml.safe_load(f)
        problems += manifest_checks.schema_errors("overlay", overlay, manifest_checks.k8s_schemas.KUSTOMIZATION)
        base = os.path.realpath(os.path.join(overlay_dir, overlay["resources"][0]))
        if base != os.path.realpath(manifest_checks.k8s_dir(repo)):
            problems.append(f"overlay: its base {base} is not deploy/k8s")
        job = manifest_checks.objects(repo)[("Job", "surge-segments")]
        for patch in overlay["patches"]:
            if patch["target"]["kind"] == "Job" and patch["target"]["name"] == "surge-segments":
                problems += apply_json_patch(job, yaml.safe_load(patch["patch"]))
        run = manifest_checks.generator_literals(overlay, "surge-run") or {}
        base_keys = set(manifest_checks.generator_literals(manifest_checks.kustomization(repo), "surge-run"))
        if set(run) != base_keys:
            problems.append(f"overlay: surge-run has {sorted(run)}, the base {sorted(base_keys)}")
        if not (job["spec"]["completions"] == job["spec"]["parallelism"] == int(run.get("SEGMENT_COUNT", 0)) == 7):
            problems.append(f"overlay: -n 7 gave completions {job['spec']['completions']}, parallelism "
                            f"{job['spec']['parallelism']}, SEGMENT_COUNT {run.get('SEGMENT_COUNT')}")
        if run.get("START_AT") != "2026-12-01T10:00:00Z" or not re.fullmatch(r"[a-z0-9-]+", run.get("RUN_ID", "")):
            problems.append(f"overlay: START_AT {run.get('START_AT')}, RUN_ID {run.get('RUN_ID')}")
        if overlay["images"] != [{"name": "surge", "newName": "registry.example:5000/surge", "newTag": "1.2"}]:
            problems.append(f"overlay: --image gave {overlay['images']}")
        for bad, message in ((["-n", "0"], "-n must be a whole number"),
                             (["--start-at", "tomorrow"], "--start-at must be an RFC 3339 UTC time")):
            refused = render_overlay(repo, os.path.join(folder, "bad"), *bad)
            if refused.returncode != 2 or message not in refused.stderr:
                problems.append(f"run.sh {' '.join(bad)}: expected exit 2 and '{message}', got "
                                f"{refused.returncode}: {refused.stderr.strip()}")
    return problems


CHECKS = {name[len("check_"):]: check for module in (manifest_checks, dockerfile_checks, sys.modules[__name__])
          for name, check in vars(module).items() if name.startswith("check_")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("check", choices=sorted(CHECKS))
    parser.add_argument("--repo", required=True)
    parser.add_argument("--surge", required=True)
    options = parser.parse_args()
    problems = CHECKS[options.check](options.repo, options.surge)
    for problem in problems:
        print(f"FAIL {problem}")
    print(f"{options.check}: {'ok' if not problems else f'{len(problems)} problem(s)'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
