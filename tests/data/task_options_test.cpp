#include "data/task_options.h"

#include <gtest/gtest.h>

#include "data/error.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

TEST(TaskOptions, SetsTypedValues) {
    TaskOptions o;
    set_task_option(o, "seed", "18446744073709551615");
    set_task_option(o, "train_size", "2000");
    set_task_option(o, "cache", "false");
    set_task_option(o, "truncation", "head+tail");
    set_task_option(o, "validation_fraction", "0.25");
    set_task_option(o, "labels", "neg, pos");
    EXPECT_EQ(o.seed, UINT64_MAX);
    EXPECT_EQ(o.train_size, 2000);
    EXPECT_FALSE(o.cache);
    EXPECT_EQ(o.truncation, "head+tail");
    EXPECT_DOUBLE_EQ(o.validation_fraction, 0.25);
    EXPECT_EQ(o.labels, (std::vector<std::string>{"neg", "pos"}));
    EXPECT_EQ(o.explicitly_set.count("train_size"), 1u);
}

TEST(TaskOptions, BadValuesSayWhatWasExpected) {
    TaskOptions o;
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(set_task_option(o, "train_size", "lots")),
              "expected an integer in [-1, 1000000000], got 'lots'");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(set_task_option(o, "contour_length", "1")),
              "expected an integer in [2, 20], got '1'");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(set_task_option(o, "cache", "maybe")),
              "expected true or false, got 'maybe'");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(set_task_option(o, "truncation", "middle")),
              "expected one of head, tail, head+tail, got 'middle'");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(set_task_option(o, "seed", "-1")),
              "expected a non-negative 64-bit integer, got '-1'");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(set_task_option(o, "test_fraction", "1.5")),
              "expected a fraction in [0, 1), got '1.5'");
}

TEST(TaskOptions, UnknownKeySuggestsTheClosestName) {
    TaskOptions o;
    const std::string message = LM_DATA_ERROR_MESSAGE(set_task_option(o, "max_lenght", "1"));
    EXPECT_EQ(message.rfind("unknown task option 'max_lenght' (did you mean 'max_length'?)", 0), 0u)
        << message;
}

TEST(TaskOptions, AssignmentNeedsAnEqualsSign) {
    TaskOptions o;
    apply_task_option(o, "file=a=b.tsv");
    EXPECT_EQ(o.file, "a=b.tsv");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(apply_task_option(o, "seed")),
              "expected key=value, got 'seed'");
}

TEST(TaskOptions, ValuesRoundTripThroughSetters) {
    TaskOptions changed;
    set_task_option(changed, "seed", "9");
    set_task_option(changed, "max_length", "100");
    set_task_option(changed, "labels", "a,b");
    set_task_option(changed, "skip_bad_lines", "true");
    TaskOptions copy;
    for (const auto& [key, value] : task_option_values(changed)) {
        set_task_option(copy, key, value);
    }
    EXPECT_EQ(task_option_values(copy), task_option_values(changed));
}

TEST(TaskOptions, TableListsEveryKeyWithDefaults) {
    const auto names = task_option_names();
    ASSERT_EQ(names.size(), task_option_table().size());
    const auto defaults = task_option_values(TaskOptions{});
    for (const auto& info : task_option_table()) {
        EXPECT_EQ(defaults.at(info.key), info.default_value) << info.key;
        EXPECT_FALSE(info.help.empty()) << info.key;
    }
}

TEST(TaskOptions, OptionsMustApplyToTheTask) {
    TaskOptions o;
    o.name = "listops";
    set_task_option(o, "max_depth", "5");
    set_task_option(o, "seed", "3");
    EXPECT_NO_THROW(check_options_apply(o));
    set_task_option(o, "contour_length", "6");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(check_options_apply(o)),
              "task option 'contour_length' does not apply to task 'listops' (it is read by: "
              "pathfinder)");
}

TEST(TaskOptions, DirectoriesHaveDefaults) {
    TaskOptions o;
    o.data_dir = "/data";
    EXPECT_EQ(resolved_data_dir(o), "/data");
    EXPECT_EQ(resolved_cache_dir(o), "/data/cache");
    o.cache_dir = "/c";
    EXPECT_EQ(resolved_cache_dir(o), "/c");
}

}  // namespace
}  // namespace lm::data
