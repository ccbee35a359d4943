// `landmark tokenizer train`: a SentencePiece model from a text task's training split.
//
// Writes PREFIX.model (SentencePiece's serialized model), PREFIX.vocab (piece<TAB>score per
// line, in SentencePiece id order; landmark id = line index + 2) and PREFIX.json (the tokenizer
// JSON, which needs no other file).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "data/error.h"
#include "data/sentencepiece_tokenizer.h"
#include "data/task.h"
#include "tools/landmark/commands.h"
#include "tools/landmark/data_args.h"

namespace lm::cli {

namespace {

struct TokenizerArgs {
    std::string task;
    std::vector<std::string> options;
    std::string type = "unigram";
    int64_t vocab_size = 8000;
    std::string out;
    int64_t max_sentences = 2000000;
    double character_coverage = 1.0;
};

void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) throw data::DataError(path + ": cannot write the file");
}

// Average tokens per input byte over the validation texts (or train if there are none).
double tokens_per_byte(const data::Tokenizer& tokenizer, const std::vector<std::string>& texts) {
    int64_t tokens = 0, bytes = 0;
    for (const auto& text : texts) {
        tokens += static_cast<int64_t>(tokenizer.encode(text).size());
        bytes += static_cast<int64_t>(text.size());
    }
    return bytes > 0 ? static_cast<double>(tokens) / static_cast<double>(bytes) : 0.0;
}

void run_train(const TokenizerArgs& args) {
    auto task = make_task_from_args(args.task, args.options);
    if (!task->has_text()) {
        throw UsageError("task '" + args.task +
                         "' has no text to train a tokenizer on; text "
                         "tasks: spam, brown-genre, brown-match, text");
    }
    const auto texts = task->texts(data::Split::Train);
    data::SentencePieceTrainOptions options;
    options.model_type = args.type;
    options.vocab_size = args.vocab_size;
    options.max_sentences = args.max_sentences;
    options.character_coverage = args.character_coverage;
    std::printf("training a %s model with %lld pieces on %zu %s texts...\n", args.type.c_str(),
                static_cast<long long>(args.vocab_size), texts.size(), args.task.c_str());
    const std::string model = data::train_sentencepiece(texts, options);
    const data::SentencePieceTokenizer tokenizer(model);

    const auto parent = std::filesystem::path(args.out).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    write_file(args.out + ".model", model);
    write_file(args.out + ".json", tokenizer.to_json().dump());
    std::string vocab;
    for (const auto& [piece, score] : tokenizer.pieces()) {
        vocab += piece + "\t" + std::to_string(score) + "\n";
    }
    write_file(args.out + ".vocab", vocab);

    auto sample = task->texts(data::Split::Validation);
    if (sample.empty()) sample = texts;
    std::printf("vocab %lld (with PAD and CLS); %.3f tokens per byte on %zu %s texts\n",
                static_cast<long long>(tokenizer.vocab_size()), tokens_per_byte(tokenizer, sample),
                sample.size(), sample.size() == texts.size() ? "train" : "validation");
    std::printf(
        "wrote %s.model, %s.vocab, %s.json\nuse it with: --opt tokenizer=sentencepiece "
        "--opt tokenizer_model=%s.model\n",
        args.out.c_str(), args.out.c_str(), args.out.c_str(), args.out.c_str());
}

}  // namespace

void register_tokenizer_commands(CLI::App& app) {
    auto* tokenizer = app.add_subcommand("tokenizer", "Train tokenizers");
    tokenizer->require_subcommand(1);
    auto args = std::make_shared<TokenizerArgs>();

    auto* train = tokenizer->add_subcommand(
        "train", "Train a SentencePiece model on a text task's training split");
    train->add_option("task", args->task, "Text task: spam, brown-genre, brown-match, text")
        ->required();
    train->add_option("--type", args->type, "Model type")
        ->check(CLI::IsMember({"unigram", "bpe"}))
        ->capture_default_str();
    train->add_option("--vocab-size", args->vocab_size, "Number of pieces")
        ->check(CLI::Range(int64_t{16}, int64_t{1000000}))
        ->capture_default_str();
    train->add_option("--out", args->out, "Output prefix (writes PREFIX.model/.vocab/.json)")
        ->required();
    train->add_option("--max-sentences", args->max_sentences, "Lines sampled for training at most")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    train
        ->add_option("--character-coverage", args->character_coverage,
                     "Share of characters the pieces must cover")
        ->check(CLI::Range(0.9, 1.0))
        ->capture_default_str();
    train->add_option("--opt", args->options, "Task option key=value (repeatable)")
        ->allow_extra_args(false);
    train->callback([args] { run_train(*args); });
}

}  // namespace lm::cli
