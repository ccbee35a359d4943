// docs/results.md and the README's results against the runs they report (docs/results/): every
// committed metrics.jsonl parses, and every accuracy in their tables equals the test record of
// its runs (the README links the same runs as `docs/results/<dir>/...`).
//   A row linking `results/<dir>/curves.svg` reports one run: its "test acc" column equals the
//   last test record of docs/results/<dir>/metrics.jsonl.
//   A row linking `results/<sweep>/` (a sweep) reports the seeds of the row's attention type: its
//   "test acc" column is "mean ± sd" of the test records of docs/results/<sweep>/<attention>-seed*.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

namespace lm {
namespace {

namespace fs = std::filesystem;

const fs::path kDocs = fs::path(LANDMARK_SOURCE_DIR) / "docs";

std::vector<std::string> split_row(const std::string& line) {
    std::vector<std::string> cells;
    std::stringstream ss(line.substr(1));
    for (std::string cell; std::getline(ss, cell, '|');) {
        const auto b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
        cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
    }
    return cells;
}

// The test accuracy (%) of a run's last test record.
double test_accuracy(const fs::path& metrics) {
    std::ifstream in(metrics);
    double acc = NAN;
    for (std::string line; std::getline(in, line);) {
        const auto j = nlohmann::json::parse(line);
        if (j.value("split", "") == "test") acc = 100 * j.at("accuracy").get<double>();
    }
    return acc;
}

std::string percent(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", x);
    return buf;
}

TEST(ResultsDoc, EveryCommittedMetricsFileParses) {
    if (!fs::exists(kDocs / "results")) GTEST_SKIP() << "no docs/results";
    int files = 0;
    for (const auto& e : fs::recursive_directory_iterator(kDocs / "results")) {
        if (e.path().filename() != "metrics.jsonl") continue;
        ++files;
        std::ifstream in(e.path());
        int line_no = 0, tests = 0;
        for (std::string line; std::getline(in, line);) {
            ++line_no;
            const auto j = nlohmann::json::parse(line, nullptr, false);
            ASSERT_FALSE(j.is_discarded()) << e.path() << ":" << line_no;
            ASSERT_TRUE(j.is_object() && j.contains("split") && j.contains("step"))
                << e.path() << ":" << line_no;
            tests += j.at("split") == "test";
        }
        EXPECT_GT(tests, 0) << e.path() << ": a finished run ends with its test record";
    }
    EXPECT_GT(files, 0);
}

// Checks every table row of `doc` whose links start with `link_prefix` + "results/"; returns the
// number of rows checked.
int check_tables(const fs::path& doc, const std::string& link_prefix) {
    std::ifstream in(doc);
    if (!in) {
        ADD_FAILURE() << "cannot read " << doc;
        return 0;
    }
    const std::regex single(R"(\]\()" + link_prefix + R"(results/([^)]+)/curves\.svg\))");
    const std::regex sweep(R"(\]\()" + link_prefix + R"(results/([^)]+)/\))");
    std::vector<std::string> header;
    int checked = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("|", 0) != 0) {
            header.clear();
            continue;
        }
        const auto cells = split_row(line);
        if (header.empty()) {
            header = cells;
            continue;
        }
        const auto col = std::find(header.begin(), header.end(), "test acc %");
        const auto att = std::find(header.begin(), header.end(), "attention");
        std::smatch m;
        if (col == header.end()) continue;
        const std::string cell = cells.at(col - header.begin());
        if (std::regex_search(line, m, single)) {
            const fs::path metrics = kDocs / "results" / m[1].str() / "metrics.jsonl";
            EXPECT_TRUE(fs::exists(metrics)) << doc << ": " << metrics;
            EXPECT_EQ(cell, percent(test_accuracy(metrics))) << doc << ": " << line;
            ++checked;
        } else if (std::regex_search(line, m, sweep) && att != header.end()) {
            const fs::path dir = kDocs / "results" / m[1].str();
            const std::string prefix = cells.at(att - header.begin()) + "-seed";
            std::vector<double> acc;
            for (const auto& e : fs::directory_iterator(dir)) {
                if (e.path().filename().string().rfind(prefix, 0) == 0)
                    acc.push_back(test_accuracy(e.path() / "metrics.jsonl"));
            }
            EXPECT_FALSE(acc.empty()) << doc << ": " << line;
            double mean = 0, var = 0;
            for (double a : acc)
                mean += a / static_cast<double>(acc.size());
            for (double a : acc)
                var += (a - mean) * (a - mean);
            const double sd =
                acc.size() > 1 ? std::sqrt(var / static_cast<double>(acc.size() - 1)) : 0;
            const std::string expected =
                acc.size() > 1 ? percent(mean) + " ± " + percent(sd) : percent(mean);
            EXPECT_EQ(cell, expected) << doc << ": " << line;
            ++checked;
        }
    }
    return checked;
}

TEST(ResultsDoc, TableAccuraciesAreTheTestRecordsOfTheirRuns) {
    EXPECT_GT(check_tables(kDocs / "results.md", ""), 0)
        << "no table row of docs/results.md links its runs";
}

TEST(ResultsDoc, ReadmeAccuraciesAreTheTestRecordsOfTheirRuns) {
    EXPECT_GT(check_tables(kDocs.parent_path() / "README.md", "docs/"), 0)
        << "the README's results table links no run";
}

}  // namespace
}  // namespace lm
