#include "data/task.h"

#include <gtest/gtest.h>

#include "data/error.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

TEST(TaskRegistry, ListsTheTasks) {
    EXPECT_EQ(task_names(),
              (std::vector<std::string>{"listops", "pathfinder", "fashion-mnist", "spam",
                                        "brown-genre", "brown-match", "text", "corpus"}));
}

TEST(TaskRegistry, UnknownNameSuggestsTheClosest) {
    TaskOptions o;
    o.name = "path-finder";
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(make_task(o)),
              "unknown task 'path-finder' (did you mean 'pathfinder'?); known: listops, "
              "pathfinder, fashion-mnist, spam, brown-genre, brown-match, text, corpus");
}

TEST(TaskRegistry, RejectsOptionsOfOtherTasks) {
    TaskOptions o;
    o.name = "pathfinder";
    set_task_option(o, "truncation", "tail");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(make_task(o)),
              "task option 'truncation' does not apply to task 'pathfinder' (it is read by: "
              "spam, brown-genre, brown-match, text)");
}

TEST(TaskRegistry, InfoNeedsNoDataForGeneratedTasks) {
    TaskOptions o;
    o.name = "pathfinder";
    o.cache = false;
    const auto info = make_task(o)->info();  // 200k images are not generated for this
    EXPECT_EQ(info.max_length, 1024);
    EXPECT_EQ(make_task(o)->label_map_json().dump(), R"({"labels":["disconnected","connected"]})");
    EXPECT_FALSE(make_task(o)->has_text());
}

TEST(Splits, NamesRoundTrip) {
    for (Split split : kAllSplits) {
        EXPECT_EQ(parse_split(split_name(split)), split);
    }
    EXPECT_EQ(parse_split("val"), Split::Validation);
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(parse_split("dev2")),
              "expected a split (train, validation or test), got 'dev2'");
}

}  // namespace
}  // namespace lm::data
