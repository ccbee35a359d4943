#include "train/evaluate.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "core/autograd/functional.h"
#include "data/batch_stream.h"
#include "train/batch_tensors.h"

namespace lm::train {

namespace {

// Restores the model's train/eval mode on scope exit.
class EvalMode {
  public:
    explicit EvalMode(models::Model& m) : m_(m), was_training_(m.is_training()) { m.eval(); }
    ~EvalMode() { m_.train(was_training_); }

  private:
    models::Model& m_;
    bool was_training_;
};

// Calls f(host batch) for one pass (or the first max_batches batches) over the examples, in
// order, with the model in eval mode under no_grad; returns the seconds it took.
template <class F>
double for_each_eval_batch(models::Model& model,
                           const std::vector<data::Example>& examples,
                           data::BatchOptions options,
                           int64_t max_batches,
                           F&& f) {
    const auto start = std::chrono::steady_clock::now();
    EvalMode mode(model);
    NoGradGuard no_grad;
    options.shuffle = false;
    data::BatchStream stream(examples, options, false);
    for (int64_t b = 0; !stream.done() && (max_batches == 0 || b < max_batches); ++b)
        f(stream.next());
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Masked-token accuracy and mean loss over the predicted tokens, every split masked with the
// evaluation stream (the same masks at every evaluation).
EvalResult evaluate_masked_lm(models::Model& model,
                              const std::vector<data::Example>& examples,
                              data::BatchOptions options,
                              Device device,
                              int64_t max_batches,
                              const BatchMasking& masking) {
    EvalResult r;
    r.masked_lm = true;
    if (examples.empty()) return r;
    double loss_sum = 0.0, correct = 0.0;
    r.seconds = for_each_eval_batch(model, examples, options, max_batches, [&](const auto& hb) {
        const DeviceBatch db = model_batch(hb, masking, kEvalMaskStream, device);
        const Tensor logits = model.forward(db.inputs);
        const auto k = static_cast<double>(db.targets);
        loss_sum += cross_entropy(logits, db.labels).item() * k;
        correct += sum(eq(argmax(logits, 1), db.labels).to(DType::Float32)).item();
        r.count += db.targets;
        r.tokens += hb.real_tokens;
    });
    const auto n = static_cast<double>(r.count);
    r.loss = r.count ? loss_sum / n : 0.0;
    r.accuracy = r.count ? correct / n : 0.0;
    return r;
}

}  // namespace

EvalResult evaluate(models::Model& model,
                    const std::vector<data::Example>& examples,
                    data::BatchOptions options,
                    Device device,
                    int64_t num_classes,
                    int64_t max_batches,
                    const BatchMasking& masking) {
    if (masking.mlm)
        return evaluate_masked_lm(model, examples, options, device, max_batches, masking);
    EvalResult r;
    r.num_classes = num_classes;
    r.confusion.assign(static_cast<size_t>(num_classes * num_classes), 0);
    if (examples.empty()) return r;
    double loss_sum = 0.0;
    r.seconds = for_each_eval_batch(model, examples, options, max_batches, [&](const auto& hb) {
        const DeviceBatch db = to_device(hb, device);
        const Tensor logits = model.forward(db.inputs);
        loss_sum += cross_entropy(logits, db.labels).item() * static_cast<double>(hb.batch);
        const std::vector<int64_t> pred = argmax(logits, 1).to_vector<int64_t>();
        for (int64_t i = 0; i < hb.batch; ++i) {
            const int32_t y = hb.labels[i], p = static_cast<int32_t>(pred[i]);
            r.confusion[y * num_classes + p] += 1;
            r.predictions.push_back(p);
            r.labels.push_back(y);
            r.indices.push_back(hb.indices[i]);
        }
        r.tokens += hb.real_tokens;
    });
    r.count = static_cast<int64_t>(r.labels.size());
    int64_t correct = 0;
    for (int64_t c = 0; c < num_classes; ++c)
        correct += r.confusion[c * num_classes + c];
    r.loss = r.count ? loss_sum / static_cast<double>(r.count) : 0.0;
    r.accuracy = r.count ? static_cast<double>(correct) / static_cast<double>(r.count) : 0.0;
    return r;
}

std::vector<std::vector<double>> predict_probabilities(models::Model& model,
                                                       const std::vector<data::Example>& examples,
                                                       data::BatchOptions options,
                                                       Device device) {
    std::vector<std::vector<double>> out(examples.size());
    if (examples.empty()) return out;
    EvalMode mode(model);
    NoGradGuard no_grad;
    options.shuffle = false;
    data::BatchStream stream(examples, options, false);
    while (!stream.done()) {
        const data::HostBatch hb = stream.next();
        const Tensor probs =
            softmax(model.forward(to_device(hb, device).inputs).to(DType::Float64));
        const std::vector<double> p = probs.to_vector<double>();
        const int64_t C = probs.size(1);
        for (int64_t i = 0; i < hb.batch; ++i)
            out[hb.indices[i]].assign(p.begin() + i * C, p.begin() + (i + 1) * C);
    }
    return out;
}

std::vector<int32_t> predict(models::Model& model,
                             const std::vector<data::Example>& examples,
                             data::BatchOptions options,
                             Device device) {
    const auto probs = predict_probabilities(model, examples, std::move(options), device);
    std::vector<int32_t> out;
    for (const auto& p : probs) {
        out.push_back(static_cast<int32_t>(std::max_element(p.begin(), p.end()) - p.begin()));
    }
    return out;
}

std::string batch_coupling_warning(const models::Model& model, const data::BatchOptions& options) {
    // one example per batch (padded to its own length or a fixed one) depends on itself alone
    if (options.batch_size <= 1) return "";
    const nn::ExampleCoupling c = model.encoder().coupling();
    const std::string what = "attention '" + model.encoder().config().attention.type +
                             "' (as configured) makes each prediction depend on ";
    const std::string see = " (docs/attention.md, \"Batch independence\")";
    if (c == nn::ExampleCoupling::Batch) {
        return what + "the other examples of its batch" + see +
               "; --batch-size 1 gives predictions that depend on each input alone";
    }
    if (c == nn::ExampleCoupling::PaddedLength && options.padding == "longest") {
        return what + "the padded length, and with train.padding 'longest' on the longest input " +
               "of its batch" + see + "; --batch-size 1 or fixed padding avoids it";
    }
    return "";
}

nlohmann::json eval_json(const EvalResult& r, const std::vector<std::string>& names) {
    nlohmann::json j = {{"accuracy", r.accuracy}, {"loss", r.loss}};
    if (r.masked_lm) {
        j["masked_tokens"] = r.count;
        j["perplexity"] = std::exp(r.loss);
        return j;
    }
    j["examples"] = r.count;
    const int64_t C = r.num_classes;
    nlohmann::json classes = nlohmann::json::array(), confusion = nlohmann::json::array();
    double f1_sum = 0.0;
    for (int64_t c = 0; c < C; ++c) {
        int64_t predicted = 0, support = 0;
        std::vector<int64_t> row;
        for (int64_t k = 0; k < C; ++k) {
            predicted += r.confusion[k * C + c];
            support += r.confusion[c * C + k];
            row.push_back(r.confusion[c * C + k]);
        }
        const auto tp = static_cast<double>(r.confusion[c * C + c]);
        const double p = predicted ? tp / static_cast<double>(predicted) : 0.0;
        const double rc = support ? tp / static_cast<double>(support) : 0.0;
        const double f1 = p + rc > 0 ? 2 * p * rc / (p + rc) : 0.0;
        f1_sum += f1;
        classes.push_back(
            {{"class", c < static_cast<int64_t>(names.size()) ? names[c] : std::to_string(c)},
             {"precision", p},
             {"recall", rc},
             {"f1", f1},
             {"support", support}});
        confusion.push_back(row);
    }
    j["macro_f1"] = C ? f1_sum / static_cast<double>(C) : 0.0;
    j["classes"] = classes;
    j["confusion"] = confusion;
    return j;
}

std::string describe(const EvalResult& r) {
    std::string s = std::string(r.masked_lm ? "masked-token " : "") + "accuracy " +
                    std::to_string(r.accuracy) + " loss " + std::to_string(r.loss);
    return r.masked_lm ? s + " perplexity " + std::to_string(std::exp(r.loss)) : s;
}

nlohmann::json eval_record(const EvalResult& r, int64_t step, const std::string& split) {
    nlohmann::json j = {
        {"step", step}, {"split", split}, {"loss", r.loss}, {"accuracy", r.accuracy}};
    if (r.masked_lm) {
        j["masked_tokens"] = r.count;
        j["perplexity"] = std::exp(r.loss);
    } else {
        j["examples"] = r.count;
    }
    return j;
}

std::string format_report(const EvalResult& r, const std::vector<std::string>& names) {
    const int64_t C = r.num_classes;
    auto name = [&](int64_t c) {
        return c < static_cast<int64_t>(names.size()) ? names[c] : std::to_string(c);
    };
    char line[256];
    std::string out;
    if (r.masked_lm) {
        std::snprintf(
            line, sizeof line,
            "masked tokens %lld  masked-token accuracy %.4f  loss %.4f  perplexity %.3f\n",
            static_cast<long long>(r.count), r.accuracy, r.loss, std::exp(r.loss));
        return line;
    }
    std::snprintf(line, sizeof line, "examples %lld  accuracy %.4f  loss %.4f\n\n",
                  static_cast<long long>(r.count), r.accuracy, r.loss);
    out += line;
    out += "class                 precision  recall     f1  support\n";
    const nlohmann::json metrics = eval_json(r, names);  // a named object outlives the loop
    for (const auto& c : metrics.at("classes")) {
        std::snprintf(line, sizeof line, "%-20.20s  %9.4f  %6.4f  %5.4f  %7lld\n",
                      c.at("class").get<std::string>().c_str(), c.at("precision").get<double>(),
                      c.at("recall").get<double>(), c.at("f1").get<double>(),
                      static_cast<long long>(c.at("support").get<int64_t>()));
        out += line;
    }
    out += "\nconfusion matrix (rows: true class, columns: predicted)\n";
    for (int64_t c = 0; c < C; ++c) {
        std::snprintf(line, sizeof line, "%-20.20s", name(c).c_str());
        out += line;
        for (int64_t k = 0; k < C; ++k) {
            std::snprintf(line, sizeof line, " %6lld",
                          static_cast<long long>(r.confusion[c * C + k]));
            out += line;
        }
        out += "\n";
    }
    return out;
}

}  // namespace lm::train
