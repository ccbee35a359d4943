// The repository's layout rules, checked on the source tree itself:
//  - include direction: base <- core, data; core <- layers <- models <- train <- tools, and data
//    never sees tensor code (CMake also enforces the module graph; this names the offending line);
//  - inside train/: io/ and report/ never include the loop (train/trainer.h);
//  - size caps: a source file stays under 500 lines, a test file under 400;
//  - the project's sources and docs cite nothing outside the repository.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path kRoot = LANDMARK_SOURCE_DIR;

bool is_source(const fs::path& p) {
    static const std::set<std::string> exts = {".h", ".cpp", ".cu", ".cuh"};
    return exts.count(p.extension().string()) > 0;
}

// Every source file under `dir` (relative to the root), as root-relative paths.
std::vector<std::string> sources_under(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(kRoot / dir)) {
        if (e.is_regular_file() && is_source(e.path()))
            out.push_back(fs::relative(e.path(), kRoot).generic_string());
    }
    return out;
}

std::vector<std::string> lines_of(const std::string& rel) {
    std::ifstream in(kRoot / rel);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

// The module a root-relative path belongs to: "base" for core/base, else its top folder.
std::string module_of(const std::string& rel) {
    if (rel.rfind("core/base/", 0) == 0) return "base";
    return rel.substr(0, rel.find('/'));
}

// Modules each module may include (itself included).
const std::map<std::string, std::set<std::string>> kAllowed = {
    {"base", {"base"}},
    {"data", {"base", "data"}},
    {"core", {"base", "core"}},
    {"layers", {"base", "core", "layers"}},
    {"models", {"base", "core", "layers", "models"}},
    {"train", {"base", "core", "data", "layers", "models", "train"}},
    {"tools", {"base", "core", "data", "layers", "models", "train", "tools"}},
};

// The project headers a file includes, as written ("core/tensor.h").
std::vector<std::pair<int, std::string>> project_includes(const std::string& rel) {
    static const std::regex include(R"re(^\s*#\s*include\s*"([^"]+)")re");
    std::vector<std::pair<int, std::string>> out;
    auto lines = lines_of(rel);
    for (size_t i = 0; i < lines.size(); ++i) {
        std::smatch m;
        if (std::regex_search(lines[i], m, include)) out.emplace_back(int(i) + 1, m[1].str());
    }
    return out;
}

TEST(Layout, IncludesFollowTheModuleDirection) {
    int checked = 0;
    for (const auto& [module, allowed] : kAllowed) {
        std::string dir = module == "base" ? "core/base" : module;
        for (const auto& rel : sources_under(dir)) {
            if (module_of(rel) != module) continue;  // core/base files are checked as base
            for (const auto& [line, header] : project_includes(rel)) {
                if (header.find('/') == std::string::npos) continue;  // same-folder include
                std::string target = module_of(header);
                if (!kAllowed.count(target)) continue;  // not a project module (e.g. "yaml-cpp/")
                ++checked;
                EXPECT_TRUE(allowed.count(target))
                    << rel << ":" << line << " includes \"" << header << "\": " << module
                    << " may not depend on " << target;
            }
        }
    }
    EXPECT_GT(checked, 500) << "the include scan found too few includes; is the regex right?";
}

TEST(Layout, TrainIoAndReportNeverIncludeTheLoop) {
    int files = 0;
    for (const char* dir : {"train/io", "train/report"}) {
        for (const auto& rel : sources_under(dir)) {
            ++files;
            for (const auto& [line, header] : project_includes(rel))
                EXPECT_NE(header, "train/trainer.h")
                    << rel << ":" << line << ": io/ and report/ sit below the training loop";
        }
    }
    EXPECT_GT(files, 10);
}

TEST(Layout, FilesStayUnderTheirSizeCaps) {
    for (const std::string dir : {"core", "layers", "models", "data", "train", "tools", "bench"}) {
        for (const auto& rel : sources_under(dir))
            EXPECT_LT(lines_of(rel).size(), 500u) << rel << ": split it by responsibility";
    }
    for (const auto& rel : sources_under("tests"))
        EXPECT_LT(lines_of(rel).size(), 400u) << rel << ": split the test file by topic";
}

TEST(Layout, SourcesAndDocsCiteNothingOutsideTheRepository) {
    // Citations of the team's private notes ("shared/reference", "AV §1.3", "NL §2").
    static const std::regex outside(R"re(shared/reference|shared/fixtures|\b(AV|NL|PR) §)re");
    std::vector<std::string> files;
    for (const std::string dir :
         {"core", "layers", "models", "data", "train", "tools", "bench", "configs", "docs"}) {
        for (const auto& e : fs::recursive_directory_iterator(kRoot / dir)) {
            auto ext = e.path().extension().string();
            if (e.is_regular_file() && (is_source(e.path()) || ext == ".md" || ext == ".yaml"))
                files.push_back(fs::relative(e.path(), kRoot).generic_string());
        }
    }
    files.push_back("README.md");
    ASSERT_GT(files.size(), 100u);
    for (const auto& rel : files) {
        auto lines = lines_of(rel);
        for (size_t i = 0; i < lines.size(); ++i)
            EXPECT_FALSE(std::regex_search(lines[i], outside))
                << rel << ":" << i + 1 << " cites a file outside the repository: " << lines[i];
    }
}

}  // namespace
