// Which files a plan may read: its own folder and below, after symlinks are resolved, unless the user allows
// more (--allow-outside-files). A plan from a colleague or a repository should not read ~/.ssh into a feeder.
#pragma once

#include <string>

#include "core/result.h"

namespace surge::plan {

// The path to open for `file` as written in the plan at plan_file (relative names are found next to the
// plan). Fails with "'../x.csv' is outside the plan's folder /d (it resolves to /x.csv); ..." when the file,
// symlinks resolved, is not under the plan's folder and allow_outside is false. A file that does not exist
// is returned as is, for the reader to report.
core::Result<std::string> resolve_plan_file(const std::string& plan_file, const std::string& file,
                                            bool allow_outside);

}  // namespace surge::plan
