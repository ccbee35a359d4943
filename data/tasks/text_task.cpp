// The `text` task: the user's own classification data in TSV or JSONL.
//
// Either separate files (train_file, optional validation_file and test_file) or one `file`.
// A split without its own file is carved from the train file (or `file`) by a seeded hash of
// each text, using validation_fraction and test_fraction; equal texts always land in the same
// split. Labels map to ids by the `labels` option or, by default, by the sorted labels of the
// train split; any other label is an error naming the file and line.
#include "core/base/hash.h"
#include "core/base/xoshiro.h"
#include "data/dataset_task.h"
#include "data/error.h"
#include "data/label_map.h"
#include "data/strings.h"
#include "data/tasks/factories.h"
#include "data/text_encoding.h"
#include "data/text_file.h"

namespace lm::data {

namespace {

struct SourcedRecord {
    TextRecord record;
    std::string path;
};

struct Records {
    std::array<std::vector<SourcedRecord>, 3> splits;
    int64_t skipped_lines = 0;
};

class TextTask : public DatasetTask {
  public:
    explicit TextTask(const TaskOptions& options)
        : DatasetTask(options),
          tokenizer_(make_text_tokenizer(options)),
          max_length_(or_default(options.max_length, 4096)),
          truncation_(parse_truncation(options.truncation)) {
        if (options.file.empty() == options.train_file.empty()) {
            throw DataError(
                "text: expected exactly one of the task options file (one file, "
                "split by hash) and train_file (separate split files)");
        }
        if (!options.file.empty() &&
            (!options.validation_file.empty() || !options.test_file.empty())) {
            throw DataError(
                "text: validation_file and test_file go with train_file; with `file` "
                "the splits are carved by hash (validation_fraction, test_fraction)");
        }
        if (options.validation_fraction + options.test_fraction >= 1.0) {
            throw DataError("text: expected validation_fraction + test_fraction < 1");
        }
    }

    const Tokenizer& tokenizer() const override { return *tokenizer_; }
    bool has_text() const override { return true; }
    nlohmann::json label_map_json() const override { return {{"labels", meta()["labels"]}}; }

    std::vector<std::string> texts(Split split) override {
        std::vector<std::string> out;
        Records records = load_records();  // a named object: a temporary would die here
        for (auto& sourced : records.splits[static_cast<size_t>(split)]) {
            out.push_back(std::move(sourced.record.text));
        }
        return out;
    }

  protected:
    TaskInfo describe() const override {
        const auto labels = meta()["labels"].get<std::vector<std::string>>();
        return {"text",
                tokenizer_->vocab_size(),
                static_cast<int64_t>(labels.size()),
                max_length_,
                false,
                labels};
    }

    nlohmann::json sources() const override {
        nlohmann::json files = nlohmann::json::array();
        for (const auto* path : {&options().file, &options().train_file, &options().validation_file,
                                 &options().test_file}) {
            if (!path->empty()) files.push_back(file_identity(*path));
        }
        return files;
    }

    CachedDataset build() const override {
        Records records = load_records();
        const LabelMap labels = label_map(records);
        CachedDataset data;
        for (size_t s = 0; s < 3; ++s) {
            for (const auto& [record, path] : records.splits[s]) {
                const auto id = labels.find(record.label);
                if (!id) throw unknown_label(record, path, labels);
                data.splits[s].push_back(
                    {encode_text(*tokenizer_, record.text, max_length_, truncation_), {}, *id});
            }
        }
        data.meta = labels.to_json();
        data.meta["skipped_bad_lines"] = records.skipped_lines;
        return data;
    }

  private:
    TextFile read(const std::string& path, Records& records) const {
        TextFileOptions file_options{resolve_text_format(options().format, path),
                                     options().skip_bad_lines, tokenizer_->type() != "byte"};
        TextFile file = read_text_file(path, file_options);
        records.skipped_lines += file.skipped_lines;
        return file;
    }

    Records load_records() const;

    LabelMap label_map(const Records& records) const {
        if (!options().labels.empty()) return LabelMap(options().labels);
        std::vector<std::string> observed;
        for (const auto& sourced : records.splits[0]) {
            observed.push_back(sourced.record.label);
        }
        return LabelMap::from_observed(observed);
    }

    DataError unknown_label(const TextRecord& record,
                            const std::string& path,
                            const LabelMap& labels) const {
        const std::string source = options().labels.empty()
                                       ? "the labels of the train split"
                                       : "the labels of the task option labels";
        return error_at_line(path, record.line,
                             "unknown label '" + excerpt(record.label) + "'; expected one of " +
                                 source + ": " + join(labels.labels(), ", "));
    }

    std::unique_ptr<Tokenizer> tokenizer_;
    int64_t max_length_;
    Truncation truncation_;
};

Records TextTask::load_records() const {
    Records records;
    const std::string& base_path = options().file.empty() ? options().train_file : options().file;
    const std::array<const std::string*, 3> own_file = {
        nullptr, options().file.empty() ? &options().validation_file : nullptr,
        options().file.empty() ? &options().test_file : nullptr};
    const bool carve_validation = !own_file[1] || own_file[1]->empty();
    const bool carve_test = !own_file[2] || own_file[2]->empty();
    const double test_share = carve_test ? options().test_fraction : 0.0;
    const double validation_share = carve_validation ? options().validation_fraction : 0.0;
    const uint64_t salt = stream_seed(options().seed, "text-split", 0, 0);
    TextFile base = read(base_path, records);
    for (auto& record : base.records) {
        const double u = static_cast<double>(mix64(salt ^ fnv1a64(record.text)) >> 11) * 0x1.0p-53;
        const size_t split = u < test_share ? 2 : u < test_share + validation_share ? 1 : 0;
        records.splits[split].push_back({std::move(record), base_path});
    }
    for (size_t s = 1; s < 3; ++s) {
        if (!own_file[s] || own_file[s]->empty()) continue;
        TextFile own = read(*own_file[s], records);
        for (auto& record : own.records) {
            records.splits[s].push_back({std::move(record), *own_file[s]});
        }
    }
    const std::array<int64_t, 3> limits = {options().train_size, options().validation_size,
                                           options().test_size};
    for (size_t s = 0; s < 3; ++s) {
        if (limits[s] >= 0 && limits[s] < static_cast<int64_t>(records.splits[s].size())) {
            records.splits[s].resize(limits[s]);
        }
    }
    return records;
}

}  // namespace

std::unique_ptr<Task> make_text_task(const TaskOptions& options) {
    return std::make_unique<TextTask>(options);
}

}  // namespace lm::data
