#include "train/report/summary.h"

#include <filesystem>
#include <fstream>

#include "core/base/atomic_file.h"

namespace lm::train {

nlohmann::json summary_to_json(const TrainSummary& s) {
    return {{"run_dir", s.run_dir},
            {"steps", s.steps},
            {"interrupted", s.interrupted},
            {"best_val_accuracy", s.best_val_accuracy},
            {"best_step", s.best_step},
            {"test_accuracy", s.test_accuracy},
            {"test_loss", s.test_loss},
            {"tokens_per_s", s.tokens_per_s},
            {"train_seconds", s.train_seconds},
            {"peak_tensor_bytes", s.peak_tensor_bytes},
            {"peak_rss_bytes", s.peak_rss_bytes},
            {"skipped_batches", s.skipped_batches}};
}

void write_summary(const TrainSummary& s, const nlohmann::json& extra) {
    nlohmann::json j = summary_to_json(s);
    j.update(extra);
    write_text_atomic((std::filesystem::path(s.run_dir) / "summary.json").string(),
                      j.dump(2) + "\n");
}

nlohmann::json read_summary(const std::string& run_dir) {
    std::ifstream in(std::filesystem::path(run_dir) / "summary.json");
    if (!in) return {};
    return nlohmann::json::parse(in, nullptr, false);
}

}  // namespace lm::train
