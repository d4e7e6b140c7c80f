#!/usr/bin/env python3
"""Checks that surge's modules use each other only as their CMake link lists say (STYLE.md, "Layout").

Each folder under src/ that calls surge_module(NAME DEPS ...) is a module; src/cli (the `surge` executable)
is one too, with the surge_* libraries its target_link_libraries name. For every source file of a module,
each `#include "<folder>/..."` that names another module's folder must name a module in the DEPS list
(direct dependencies only: a module that uses a header says so itself, rather than relying on a chain).
It also fails when:
  - a DEPS list names a surge module that the module never includes (a link nobody uses);
  - the modules form a cycle;
  - the top CMakeLists.txt adds a module before one it depends on;
  - docs/architecture.md's module table misses a module, or lists one before a module it depends on.

Usage: check_layering.py [REPO]   (REPO defaults to the folder above this script). Exit 0 when all hold,
1 with one line per problem (file:line: what is wrong) otherwise.
"""
import pathlib
import re
import sys

MODULE_CALL = re.compile(r"surge_module\(\s*(\w+)(.*?)\)", re.S)
LINK_CALL = re.compile(r"target_link_libraries\(\s*surge\s+(?:PRIVATE|PUBLIC)?(.*?)\)", re.S)
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
TABLE_ROW = re.compile(r"^\|\s*`([\w/]+)`\s*\|")
SOURCE_SUFFIXES = {".h", ".hpp", ".cpp", ".cc"}


class Module:
    def __init__(self, name, folder, deps, cmake_file):
        self.name = name          # the CMake name without its surge_ prefix: proto_http
        self.folder = folder      # the include prefix: proto/http
        self.deps = deps          # names of the surge modules it links (without surge_)
        self.cmake_file = cmake_file


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def read_modules(repo):
    modules = {}
    src = repo / "src"
    for cmake in sorted(src.rglob("CMakeLists.txt")):
        text = cmake.read_text()
        folder = cmake.parent.relative_to(src).as_posix()
        for call in MODULE_CALL.finditer(text):
            name, rest = call.group(1), call.group(2)
            words = re.sub(r"#.*", "", rest).split()
            deps = [w[len("surge_"):] for w in words if w.startswith("surge_")]
            modules[name] = Module(name, folder, deps, cmake)
        if folder == "cli":
            deps = []
            for call in LINK_CALL.finditer(text):
                deps += [w[len("surge_"):] for w in call.group(1).split() if w.startswith("surge_")]
            modules["cli"] = Module("cli", "cli", deps, cmake)
    return modules


def owner_of(path, by_folder):
    """The module whose folder is the longest prefix of path (an include or a file under src/)."""
    best = None
    for folder, module in by_folder.items():
        if path == folder or path.startswith(folder + "/"):
            if best is None or len(folder) > len(best.folder):
                best = module
    return best


def check_includes(repo, modules, problems):
    by_folder = {m.folder: m for m in modules.values()}
    used = {name: set() for name in modules}
    src = repo / "src"
    for path in sorted(src.rglob("*")):
        if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
            continue
        owner = owner_of(path.parent.relative_to(src).as_posix(), by_folder)
        if owner is None:
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            match = INCLUDE.match(line)
            if not match:
                continue
            target = owner_of(match.group(1).rsplit("/", 1)[0], by_folder) if "/" in match.group(1) else None
            if target is None or target is owner:
                continue
            used[owner.name].add(target.name)
            if target.name not in owner.deps:
                problems.append(
                    f"{path.relative_to(repo)}:{number}: includes {match.group(1)}, but surge_{owner.name}'s "
                    f"link list ({owner.cmake_file.relative_to(repo)}) does not name surge_{target.name}")
    for module in modules.values():
        for dep in module.deps:
            if dep in modules and dep not in used[module.name]:
                problems.append(
                    f"{module.cmake_file.relative_to(repo)}:1: surge_{module.name} links surge_{dep} but "
                    f"includes nothing from {modules[dep].folder}/")


def check_cycles(modules, problems):
    state = {}

    def visit(name, chain):
        if state.get(name) == "done":
            return
        if state.get(name) == "open":
            cycle = chain[chain.index(name):] + [name]
            problems.append("cycle: " + " -> ".join(cycle))
            return
        state[name] = "open"
        for dep in modules[name].deps:
            if dep in modules:
                visit(dep, chain + [name])
        state[name] = "done"

    for name in sorted(modules):
        visit(name, [])


def check_order(label, order, modules, problems):
    """order: (module name, file:line) in the order a list names them; deps must come first."""
    position = {name: i for i, (name, _) in enumerate(order)}
    for name, where in order:
        for dep in modules[name].deps:
            if dep in position and position[dep] > position[name]:
                problems.append(f"{where}: {label} lists {modules[name].folder} before {modules[dep].folder}, "
                                f"which it depends on")


def subdirectory_order(repo, modules):
    by_folder = {m.folder: m for m in modules.values()}
    cmake = repo / "CMakeLists.txt"
    order = []
    for number, line in enumerate(cmake.read_text().splitlines(), 1):
        match = re.match(r"\s*add_subdirectory\(src/([\w/]+)\)", line)
        if match and match.group(1) in by_folder:
            order.append((by_folder[match.group(1)].name, f"CMakeLists.txt:{number}"))
    return order


def table_order(repo, modules, problems):
    by_folder = {m.folder: m for m in modules.values()}
    doc = repo / "docs" / "architecture.md"
    order = []
    for number, line in enumerate(doc.read_text().splitlines(), 1):
        match = TABLE_ROW.match(line)
        if match and match.group(1) in by_folder:
            order.append((by_folder[match.group(1)].name, f"docs/architecture.md:{number}"))
    listed = {name for name, _ in order}
    for module in sorted(modules.values(), key=lambda m: m.folder):
        if module.name not in listed:
            problems.append(f"docs/architecture.md:1: the module table has no row for `{module.folder}`")
    return order


def main():
    repo = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent)
    modules = read_modules(repo)
    if not modules:
        print(f"check_layering: no surge_module() calls under {repo / 'src'}")
        return 1
    problems = []
    check_includes(repo, modules, problems)
    check_cycles(modules, problems)
    check_order("CMakeLists.txt", subdirectory_order(repo, modules), modules, problems)
    check_order("the module table", table_order(repo, modules, problems), modules, problems)
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"check_layering: {len(modules)} modules, every include allowed by its link list")
    return 0


if __name__ == "__main__":
    sys.exit(main())
