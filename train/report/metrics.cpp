#include "train/report/metrics.h"

#include <sys/resource.h>

#include <fstream>
#include <vector>

#include "core/base/atomic_file.h"

namespace lm::train {

void MetricsLog::append(const nlohmann::json& record) const {
    std::ofstream out(path_, std::ios::app);
    out << record.dump() << "\n";
    out.flush();
}

void MetricsLog::truncate_after(int64_t step) const {
    std::ifstream in(path_);
    if (!in) return;
    std::vector<std::string> keep;
    for (std::string line; std::getline(in, line);) {
        const auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded()) continue;  // a line cut short by the kill
        if (j.contains("step") && j["step"].get<int64_t>() > step) continue;
        keep.push_back(line);
    }
    in.close();
    std::string text;
    for (const auto& l : keep)
        text += l + "\n";
    write_text_atomic(path_, text);
}

int64_t peak_rss_bytes() {
    struct rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<int64_t>(usage.ru_maxrss) * 1024;
}

}  // namespace lm::train
