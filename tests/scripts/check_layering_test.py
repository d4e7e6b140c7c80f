#!/usr/bin/env python3
"""Tests of scripts/check_layering.py on small trees made in a temporary folder: each rule is seen to fail
with its message, and a tree that keeps them all passes."""
import pathlib
import subprocess
import sys
import tempfile
import unittest

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "check_layering.py"

TABLE = """| module | job |
|---|---|
| `core` | the loop |
| `net` | sockets |
"""


def make_tree(root, net_deps="surge_core", net_include='#include "core/loop.h"', table=TABLE,
              order=("core", "net"), core_deps=""):
    root = pathlib.Path(root)
    (root / "src" / "core").mkdir(parents=True)
    (root / "src" / "net").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "src" / "core" / "CMakeLists.txt").write_text(f"surge_module(core {core_deps})\n")
    (root / "src" / "core" / "loop.h").write_text("#pragma once\n")
    (root / "src" / "net" / "CMakeLists.txt").write_text(f"surge_module(net DEPS {net_deps})\n")
    (root / "src" / "net" / "socket.cpp").write_text(f"// sockets\n{net_include}\n#include <vector>\n")
    (root / "CMakeLists.txt").write_text("".join(f"add_subdirectory(src/{m})\n" for m in order))
    (root / "docs" / "architecture.md").write_text(table)


def check(root):
    done = subprocess.run([sys.executable, str(SCRIPT), str(root)], capture_output=True, text=True)
    return done.returncode, done.stdout


class CheckLayering(unittest.TestCase):
    def test_a_tree_whose_includes_match_its_link_lists_passes(self):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root)
            self.assertEqual(check(root), (0, "check_layering: 2 modules, every include allowed by its link list\n"))

    def test_an_include_the_link_list_does_not_allow_names_file_and_line(self):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, net_deps="")
            code, out = check(root)
            self.assertEqual(code, 1)
            self.assertIn("src/net/socket.cpp:2: includes core/loop.h, but surge_net's link list "
                          "(src/net/CMakeLists.txt) does not name surge_core", out)

    def test_a_link_nobody_includes_is_reported(self):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, net_include="")
            code, out = check(root)
            self.assertEqual(code, 1)
            self.assertIn("src/net/CMakeLists.txt:1: surge_net links surge_core but includes nothing from core/", out)

    def test_a_cycle_is_reported(self):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, core_deps="DEPS surge_net")
            (pathlib.Path(root) / "src" / "core" / "uses_net.cpp").write_text('#include "net/socket.h"\n')
            code, out = check(root)
            self.assertEqual(code, 1)
            self.assertIn("cycle: core -> net -> core", out)

    def test_a_module_added_before_its_dependency_is_reported(self):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, order=("net", "core"))
            code, out = check(root)
            self.assertEqual(code, 1)
            self.assertIn("CMakeLists.txt:1: CMakeLists.txt lists net before core, which it depends on", out)

    def test_the_architecture_table_must_list_every_module_in_dependency_order(self):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, table="| `net` | sockets |\n")
            code, out = check(root)
            self.assertEqual(code, 1)
            self.assertIn("docs/architecture.md:1: the module table has no row for `core`", out)
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, table="| `net` | sockets |\n| `core` | the loop |\n")
            code, out = check(root)
            self.assertEqual(code, 1)
            self.assertIn("docs/architecture.md:1: the module table lists net before core, which it depends on", out)


if __name__ == "__main__":
    unittest.main()
