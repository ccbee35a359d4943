// Class labels of user data mapped to ids (id = position), stored with a model as JSON
// ({"labels": ["neg", "pos"]}) so evaluation maps labels exactly as training did.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace lm::data {

class LabelMap {
  public:
    LabelMap() = default;
    explicit LabelMap(std::vector<std::string> labels);  // throws DataError on duplicates
    // The distinct labels in a canonical order: numeric order when every label is an integer,
    // else byte order. Independent of the order of the input.
    static LabelMap from_observed(const std::vector<std::string>& labels);
    static LabelMap from_json(const nlohmann::json& json);  // throws DataError
    nlohmann::json to_json() const;

    std::optional<int32_t> find(const std::string& label) const;
    const std::vector<std::string>& labels() const { return labels_; }
    int64_t size() const { return static_cast<int64_t>(labels_.size()); }

  private:
    std::vector<std::string> labels_;
};

}  // namespace lm::data
