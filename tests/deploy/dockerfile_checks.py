"""Static checks of the repo's Dockerfile: no image can be built here (no registry, no docker), so these check
what a build would rely on: the two Debian 12 stages, the binary handed from one to the other, packages that
exist in Debian 12 and match the project's own install script, and a runtime stage with every library the
binary links."""
import os
import re
import shlex
import subprocess


def stages(repo):
    """The Dockerfile's stages in order: {'base', 'name', 'instructions': [(KEYWORD, text)]}."""
    with open(os.path.join(repo, "Dockerfile")) as f:
        text = re.sub(r"\\\n", " ", f.read())
    result = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            words = rest.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            result.append({"base": words[0], "name": name, "instructions": []})
        elif result:
            result[-1]["instructions"].append((keyword, rest.strip()))
    return result


def apt_packages(stage):
    """Packages that `apt-get install` lines of a stage install."""
    packages = []
    for keyword, text in stage["instructions"]:
        if keyword != "RUN":
            continue
        for command in re.split(r"&&|;", text):
            words = shlex.split(command)
            if "apt-get" in words and "install" in words:
                packages += [w for w in words[words.index("install") + 1:] if not w.startswith("-")]
    return packages


def instruction(stage, keyword):
    return [text for k, text in stage["instructions"] if k == keyword]


def check_dockerfile_stages(repo, _surge):
    found = stages(repo)
    problems = []
    names = [s["name"] for s in found]
    if names != ["build", "runtime"]:
        return [f"Dockerfile: expected the stages build then runtime, found {names}"]
    build, runtime = found
    for stage in found:
        if not re.fullmatch(r"debian:(bookworm|12)(\.\d+)?(-slim)?(@sha256:[0-9a-f]{64})?", stage["base"]):
            problems.append(f"Dockerfile: stage {stage['name']} is based on {stage['base']}, not Debian 12")
    if not runtime["base"].split("@")[0].endswith("-slim"):
        problems.append("Dockerfile: the runtime stage should start from the slim image")
    workdir = (instruction(build, "WORKDIR") or ["/"])[-1]
    runs = " ".join(instruction(build, "RUN"))
    if "--target surge" not in runs or "-B build" not in runs:
        problems.append("Dockerfile: the build stage must configure into build/ and build the target surge")
    built = os.path.join(workdir, "build", "surge")
    copies = [c for c in instruction(runtime, "COPY") if c.startswith("--from=build ")]
    if not any(shlex.split(c)[1:] == [built, "/usr/local/bin/surge"] for c in copies):
        problems.append(f"Dockerfile: the runtime stage must COPY --from=build {built} /usr/local/bin/surge, "
                        f"found {copies}")
    if instruction(runtime, "ENTRYPOINT") != ['["surge"]']:
        problems.append(f"Dockerfile: ENTRYPOINT must be [\"surge\"], found {instruction(runtime, 'ENTRYPOINT')}")
    users = instruction(runtime, "USER")
    if not users or not re.fullmatch(r"[1-9][0-9]*(:[0-9]+)?", users[-1]):
        problems.append("Dockerfile: the runtime stage must end as a numeric non-root USER (runAsNonRoot checks it)")
    elif users[-1].split(":")[0] != "10001":
        problems.append(f"Dockerfile: USER {users[-1]} differs from the manifests' runAsUser 10001")
    with open(os.path.join(repo, ".dockerignore")) as f:
        ignored = f.read().split()
    for pattern in ("build*/", "**/node_modules", ".git"):
        if pattern not in ignored:
            problems.append(f".dockerignore: {pattern} is missing (it would be sent to the build)")
    return problems


def install_deps_packages(repo):
    with open(os.path.join(repo, "scripts", "install-deps.sh")) as f:
        text = f.read()
    block = re.search(r"^packages=\((.*?)^\)", text, re.S | re.M)
    return set(block.group(1).split()) if block else set()


def apt_candidates(packages):
    """Each package's candidate version from one `apt-cache policy` (loading the cache once per package is slow)."""
    out = subprocess.run(["apt-cache", "policy", *packages], capture_output=True, text=True, timeout=120).stdout
    candidates, current = {}, None
    for line in out.splitlines():
        if line and not line[0].isspace() and line.endswith(":"):
            current = line[:-1].split(":")[0]
        elif current and line.strip().startswith("Candidate:"):
            candidates[current] = line.split(":", 1)[1].strip()
    return candidates


def check_dockerfile_packages_exist_in_debian_12(repo, _surge):
    build, runtime = stages(repo)
    problems = []
    wanted = install_deps_packages(repo)
    for package in apt_packages(build):
        if package not in wanted:
            problems.append(f"Dockerfile: build package {package} is not in scripts/install-deps.sh")
    packages = apt_packages(build) + apt_packages(runtime)
    candidates = apt_candidates(packages)
    for package in packages:
        if candidates.get(package) in (None, "(none)"):
            problems.append(f"Dockerfile: apt-cache policy {package} has no candidate version (if it is a real "
                            f"package, run apt-get update first)")
    if not apt_packages(build) or not apt_packages(runtime):
        problems.append("Dockerfile: both stages must install their packages with apt-get install")
    return problems


def check_runtime_image_has_every_linked_library(repo, surge):
    """Each shared library of the surge binary (ldd) belongs to a package the runtime stage installs."""
    runtime = stages(repo)[1]
    installed = set(apt_packages(runtime)) | {"libc6"}
    ldd = subprocess.run(["ldd", surge], capture_output=True, text=True, timeout=60, check=True).stdout
    problems = []
    libraries = re.findall(r"=> (/\S+)", ldd)
    if not libraries:
        return [f"ldd {surge} listed no libraries"]
    # A sanitizer build (make test-asan) links the sanitizer runtimes; the image is built from a Release build,
    # which does not.
    libraries = [lib for lib in libraries if not re.search(r"/lib(a|ub|l|t)san\.so", lib)]
    # One dpkg -S for all paths (a library and its resolved symlink): "package:arch: /path" per line.
    paths = sorted({p for library in libraries for p in (library, os.path.realpath(library))})
    found = subprocess.run(["dpkg", "-S", *paths], capture_output=True, text=True, timeout=120).stdout
    owner_of = {}
    for line in found.splitlines():
        names, _, path = line.rpartition(": ")
        owner_of.setdefault(path, set()).update(n.strip().split(":")[0] for n in names.split(","))
    for library in libraries:
        owners = owner_of.get(library, set()) | owner_of.get(os.path.realpath(library), set())
        if not owners:
            problems.append(f"{library}: no Debian package owns it (dpkg -S)")
        elif not owners & installed:
            problems.append(f"Dockerfile: the runtime stage lacks {' or '.join(sorted(owners))} for {library}")
    return problems
