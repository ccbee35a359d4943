// Constructors of the concrete tasks, used by the registry in data/task.cpp.
#pragma once

#include <memory>

#include "data/task.h"

namespace lm::data {

std::unique_ptr<Task> make_listops_task(const TaskOptions& options);
std::unique_ptr<Task> make_pathfinder_task(const TaskOptions& options);
std::unique_ptr<Task> make_fashion_mnist_task(const TaskOptions& options);
std::unique_ptr<Task> make_spam_task(const TaskOptions& options);
std::unique_ptr<Task> make_brown_genre_task(const TaskOptions& options);
std::unique_ptr<Task> make_brown_match_task(const TaskOptions& options);
std::unique_ptr<Task> make_text_task(const TaskOptions& options);
std::unique_ptr<Task> make_corpus_task(const TaskOptions& options);

}  // namespace lm::data
