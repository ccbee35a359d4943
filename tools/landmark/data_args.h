// Shared by the data and tokenizer commands (cmd_data.cpp, cmd_tokenizer.cpp): a task from its name
// and --opt key=value flags.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "data/task.h"

namespace lm::cli {

// Builds the task options; a bad name, key or value is a UsageError naming the flag.
lm::data::TaskOptions parse_task_options(const std::string& task,
                                         const std::vector<std::string>& assignments);
// make_task with usage problems (unknown task, options that do not apply) as UsageError.
std::unique_ptr<lm::data::Task> make_task_from_args(const std::string& task,
                                                    const std::vector<std::string>& assignments);

}  // namespace lm::cli
