// Run curves from metrics.jsonl (landmark plot): the records each chart takes, errors naming the
// file and line, and the SVG naming its runs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/base/check.h"
#include "train/report/run_curves.h"

namespace lm::train {
namespace {

namespace fs = std::filesystem;

std::string write_metrics(const std::string& name, const std::string& text) {
    const fs::path dir = fs::temp_directory_path() / ("lm_curves_" + name);
    fs::create_directories(dir);
    std::ofstream(dir / "metrics.jsonl") << text;
    return dir.string();
}

TEST(RunCurves, TrainingLossAndValidationAccuracyAgainstTheStep) {
    const std::string dir =
        write_metrics("ok",
                      "{\"split\":\"train\",\"step\":50,\"loss\":1.5,\"accuracy\":0.3}\n"
                      "{\"split\":\"validation\",\"step\":100,\"accuracy\":0.4,\"loss\":1.2}\n"
                      "\n"
                      "{\"split\":\"train\",\"step\":100,\"loss\":1.25}\n"
                      "{\"split\":\"train\",\"step\":150,\"loss\":null}\n"
                      "{\"split\":\"test\",\"step\":100,\"accuracy\":0.9}\n");
    const RunCurves c = read_run_curves(dir, "run-a");
    EXPECT_EQ(c.loss_steps, (std::vector<double>{50, 100}));
    EXPECT_EQ(c.loss, (std::vector<double>{1.5, 1.25}));
    EXPECT_EQ(c.accuracy_steps, (std::vector<double>{100}));
    EXPECT_EQ(c.accuracy, (std::vector<double>{0.4}));
    EXPECT_EQ(read_run_curves(dir + "/metrics.jsonl", "x").loss.size(), 2u);
    const std::string svg = run_curves_svg({c}, "spam");
    EXPECT_NE(svg.find("spam: training loss"), std::string::npos);
    EXPECT_NE(svg.find("spam: validation accuracy"), std::string::npos);
    EXPECT_NE(svg.find("run-a"), std::string::npos);
    fs::remove_all(dir);
}

TEST(RunCurves, ABadRecordOrAMissingFileIsNamed) {
    const std::string dir =
        write_metrics("bad", "{\"split\":\"train\",\"step\":1,\"loss\":1}\n{oops\n");
    try {
        read_run_curves(dir, "bad");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("metrics.jsonl:2: not a JSON object"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_THROW(read_run_curves(dir + "/nothing", "x"), Error);
    const std::string typed =
        write_metrics("typed", "{\"split\":\"train\",\"step\":\"ten\",\"loss\":1}\n");
    try {
        read_run_curves(typed, "typed");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("metrics.jsonl:1: 'step' must be a number"),
                  std::string::npos)
            << e.what();
    }
    fs::remove_all(typed);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace lm::train
