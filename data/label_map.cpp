#include "data/label_map.h"

#include <algorithm>
#include <set>

#include "data/error.h"

namespace lm::data {

namespace {

bool is_integer(const std::string& text) {
    size_t start = text.size() > 1 && text[0] == '-' ? 1 : 0;
    if (text.size() - start == 0 || text.size() - start > 18) return false;
    return std::all_of(text.begin() + start, text.end(),
                       [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

LabelMap::LabelMap(std::vector<std::string> labels) : labels_(std::move(labels)) {
    std::set<std::string> seen;
    for (const auto& label : labels_) {
        if (!seen.insert(label).second) {
            throw DataError("label map: duplicate label '" + label + "'");
        }
    }
}

LabelMap LabelMap::from_observed(const std::vector<std::string>& labels) {
    std::vector<std::string> distinct(labels.begin(), labels.end());
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    if (std::all_of(distinct.begin(), distinct.end(), is_integer)) {
        std::stable_sort(distinct.begin(), distinct.end(), [](const auto& a, const auto& b) {
            return std::stoll(a) < std::stoll(b);
        });
    }
    return LabelMap(std::move(distinct));
}

LabelMap LabelMap::from_json(const nlohmann::json& json) {
    if (!json.is_object() || !json.contains("labels") || !json["labels"].is_array()) {
        throw DataError("label map JSON: expected {\"labels\": [...]}");
    }
    std::vector<std::string> labels;
    for (const auto& label : json["labels"]) {
        if (!label.is_string()) throw DataError("label map JSON: expected string labels");
        labels.push_back(label.get<std::string>());
    }
    return LabelMap(std::move(labels));
}

nlohmann::json LabelMap::to_json() const {
    return {{"labels", labels_}};
}

std::optional<int32_t> LabelMap::find(const std::string& label) const {
    const auto it = std::find(labels_.begin(), labels_.end(), label);
    if (it == labels_.end()) return std::nullopt;
    return static_cast<int32_t>(it - labels_.begin());
}

}  // namespace lm::data
