#include "tools/landmark/data_args.h"

#include <algorithm>

#include "data/error.h"
#include "data/strings.h"
#include "tools/landmark/commands.h"

namespace lm::cli {

lm::data::TaskOptions parse_task_options(const std::string& task,
                                         const std::vector<std::string>& assignments) {
    const auto names = lm::data::task_names();
    if (std::find(names.begin(), names.end(), task) == names.end()) {
        throw UsageError("unknown task '" + task + "'" + lm::did_you_mean(task, names));
    }
    lm::data::TaskOptions options;
    options.name = task;
    for (const auto& assignment : assignments) {
        try {
            lm::data::apply_task_option(options, assignment);
        } catch (const lm::data::DataError& e) {
            throw UsageError("--opt " + assignment + ": " + e.what());
        }
    }
    if (options.name != task) throw UsageError("--opt name=...: give the task as the argument");
    try {
        lm::data::check_options_apply(options);
    } catch (const lm::data::DataError& e) {
        throw UsageError(e.what());
    }
    return options;
}

std::unique_ptr<lm::data::Task> make_task_from_args(const std::string& task,
                                                    const std::vector<std::string>& assignments) {
    return lm::data::make_task(parse_task_options(task, assignments));
}

}  // namespace lm::cli
