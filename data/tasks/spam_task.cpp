// The `spam` task: SpamAssassin messages as byte (or SentencePiece) tokens, ham vs spam
// (variant 3: easy ham / hard ham / spam), headers stripped by default, split by checksum.
#include <fstream>
#include <sstream>

#include "data/dataset_task.h"
#include "data/error.h"
#include "data/spam_corpus.h"
#include "data/tasks/factories.h"
#include "data/text_encoding.h"

namespace lm::data {

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path + ": cannot open the file");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

class SpamTask : public DatasetTask {
  public:
    explicit SpamTask(const TaskOptions& options)
        : DatasetTask(options),
          tokenizer_(make_text_tokenizer(options)),
          max_length_(or_default(options.max_length, 4096)),
          truncation_(parse_truncation(options.truncation)),
          three_way_(options.variant == "3") {
        if (!options.variant.empty() && options.variant != "2" && options.variant != "3") {
            throw DataError("spam: expected variant 2 or 3, got '" + options.variant + "'");
        }
    }

    const Tokenizer& tokenizer() const override { return *tokenizer_; }
    bool has_text() const override { return true; }

    std::vector<std::string> texts(Split split) override {
        std::vector<std::string> out;
        for (const auto& message : messages(split)) {
            out.push_back(text_of(message));
        }
        return out;
    }

  protected:
    TaskInfo describe() const override {
        std::vector<std::string> names =
            three_way_ ? std::vector<std::string>{"easy-ham", "hard-ham", "spam"}
                       : std::vector<std::string>{"ham", "spam"};
        return {"spam",
                tokenizer_->vocab_size(),
                static_cast<int64_t>(names.size()),
                max_length_,
                false,
                names};
    }

    nlohmann::json sources() const override {
        return file_identity(package_dir() + "/data/file_list.json");
    }

    CachedDataset build() const override {
        CachedDataset data;
        for (Split split : kAllSplits) {
            auto& examples = data.splits[static_cast<size_t>(split)];
            for (const auto& message : messages(split)) {
                examples.push_back(
                    {encode_text(*tokenizer_, text_of(message), max_length_, truncation_),
                     {},
                     label_of(message)});
            }
        }
        return data;
    }

  private:
    std::string package_dir() const {
        return resolved_data_dir(options()) + "/spam-assassin/package";
    }

    // Messages of a split, in file order, cut to the size option.
    std::vector<SpamMessage> messages(Split split) const {
        std::vector<SpamMessage> out;
        for (auto& message : list_spam_messages(package_dir())) {
            if (spam_split(message.md5) == split) out.push_back(std::move(message));
        }
        const std::array<int64_t, 3> limits = {options().train_size, options().validation_size,
                                               options().test_size};
        const int64_t limit = limits[static_cast<size_t>(split)];
        if (limit >= 0 && limit < static_cast<int64_t>(out.size())) out.resize(limit);
        return out;
    }

    std::string text_of(const SpamMessage& message) const {
        std::string raw = read_file(message.path);
        return options().headers == "keep" ? raw : std::string(mail_body(raw));
    }

    int32_t label_of(const SpamMessage& message) const {
        const std::string& group = message.group;
        if (group.rfind("spam", 0) == 0) return three_way_ ? 2 : 1;
        if (group.rfind("hard-ham", 0) == 0) return three_way_ ? 1 : 0;
        if (group.rfind("easy-ham", 0) == 0) return 0;
        throw DataError(message.path + ": unknown message group '" + group +
                        "'; expected easy-ham-*, hard-ham-* or spam-*");
    }

    std::unique_ptr<Tokenizer> tokenizer_;
    int64_t max_length_;
    Truncation truncation_;
    bool three_way_;
};

}  // namespace

std::unique_ptr<Task> make_spam_task(const TaskOptions& options) {
    return std::make_unique<SpamTask>(options);
}

}  // namespace lm::data
