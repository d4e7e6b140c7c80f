// Expensive setup done once for all the tests of a suite, across processes.
//
// CTest runs every test in a process of its own, so a suite's SetUpTestSuite (a 4-second run, four segment
// processes and a merge) would run again for each of its tests: SegmentMerge's five tests spent 80 s of CI
// doing the same thing five times. shared_setup does the work in the first test process of one `ctest`
// invocation, under a lock, and leaves what it made in a folder; the suite's other processes wait for the
// lock and read it back. Outside ctest (the test binary run by hand, every test in one process) the work is
// simply done, in this process's own temp folder.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace surge::e2e {

struct SharedSetup {
  std::string dir;       // the folder the work wrote its files into
  nlohmann::json facts;  // what the work returned (exit codes, counts, texts)
};

// `name` names the work (one folder per name); `work(dir)` writes its files into dir and returns the facts
// the tests need. The folder is keyed by the ctest process and by both binaries (surge's and this test's), so
// a new build or a new ctest run never reads an old outcome. A work whose process died before finishing is
// done again by the next process.
SharedSetup shared_setup(const std::string& name,
                         const std::function<nlohmann::json(const std::string& dir)>& work);

}  // namespace surge::e2e
