#include "data/task.h"

#include <functional>
#include <utility>

#include "data/error.h"
#include "data/strings.h"
#include "data/tasks/factories.h"

namespace lm::data {

namespace {

using Factory = std::unique_ptr<Task> (*)(const TaskOptions&);

const std::vector<std::pair<std::string, Factory>>& registry() {
    static const std::vector<std::pair<std::string, Factory>> tasks = {
        {"listops", make_listops_task},
        {"pathfinder", make_pathfinder_task},
        {"fashion-mnist", make_fashion_mnist_task},
        {"spam", make_spam_task},
        {"brown-genre", make_brown_genre_task},
        {"brown-match", make_brown_match_task},
        {"text", make_text_task},
        {"corpus", make_corpus_task},
    };
    return tasks;
}

}  // namespace

std::string split_name(Split split) {
    switch (split) {
        case Split::Train:
            return "train";
        case Split::Validation:
            return "validation";
        default:
            return "test";
    }
}

Split parse_split(const std::string& name) {
    if (name == "train") return Split::Train;
    if (name == "validation" || name == "val" || name == "dev") return Split::Validation;
    if (name == "test") return Split::Test;
    throw DataError("expected a split (train, validation or test), got '" + name + "'");
}

Task::~Task() = default;

nlohmann::json Task::label_map_json() const {
    return {{"labels", info().class_names}};
}

std::vector<std::string> Task::texts(Split) {
    return {};
}

std::unique_ptr<Task> make_task(const TaskOptions& options) {
    for (const auto& [name, factory] : registry()) {
        if (name == options.name) {
            check_options_apply(options);
            return factory(options);
        }
    }
    throw DataError("unknown task '" + options.name + "'" +
                    did_you_mean(options.name, task_names()));
}

std::vector<std::string> task_names() {
    std::vector<std::string> names;
    for (const auto& entry : registry()) {
        names.push_back(entry.first);
    }
    return names;
}

}  // namespace lm::data
