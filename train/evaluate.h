// Evaluation of a model on examples: loss, accuracy, the confusion matrix, predictions, and a
// report with per-class precision and recall.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "train/batch_tensors.h"

#include <string>
#include <vector>

#include "data/batch.h"
#include "models/model.h"

namespace lm::train {

struct EvalResult {
    double loss = 0.0;  // mean cross-entropy
    double accuracy = 0.0;
    int64_t count = 0;       // examples, or predicted tokens of a masked LM
    bool masked_lm = false;  // accuracy and loss are over the masked tokens; no confusion
    int64_t num_classes = 0;
    std::vector<int64_t> confusion;    // [true][predicted], num_classes^2
    std::vector<int32_t> predictions;  // per evaluated example, in dataset order
    std::vector<int32_t> labels;
    std::vector<int64_t> indices;  // dataset positions of the evaluated examples
    int64_t tokens = 0;
    double seconds = 0.0;
};

// Every metric of an evaluation as JSON: count, accuracy, loss (and perplexity for a masked LM);
// for classifiers also per-class precision, recall, f1 and support, macro-F1 and the confusion
// matrix (rows: true class). `names` label the classes.
nlohmann::json eval_json(const EvalResult& r, const std::vector<std::string>& names);

// "accuracy A loss L", or for a masked LM "masked-token accuracy A loss L perplexity P".
std::string describe(const EvalResult& r);
// The metrics.jsonl record of an evaluation at `step`: loss and accuracy over the examples, or
// over the masked tokens of a masked LM (with its perplexity and "masked_tokens" as the count).
nlohmann::json eval_record(const EvalResult& r, int64_t step, const std::string& split);

// Runs the model in eval mode under no_grad over one pass (or the first max_batches batches)
// of the examples; restores the previous mode afterwards.
EvalResult evaluate(models::Model& model,
                    const std::vector<data::Example>& examples,
                    data::BatchOptions options,
                    Device device,
                    int64_t num_classes,
                    int64_t max_batches = 0,
                    const BatchMasking& masking = {});
// Predicted class of every example (eval mode, no labels needed).
std::vector<int32_t> predict(models::Model& model,
                             const std::vector<data::Example>& examples,
                             data::BatchOptions options,
                             Device device);
// Class probabilities (softmax of the logits) of every example, [examples][classes], in order.
std::vector<std::vector<double>> predict_probabilities(models::Model& model,
                                                       const std::vector<data::Example>& examples,
                                                       data::BatchOptions options,
                                                       Device device);

// The warning to print before evaluating `model` with these batches, or "" when an example's
// prediction cannot depend on its batch: the model's attention is coupled to the padded length
// and the padding varies ("longest"), or to the batch and batches hold several examples.
std::string batch_coupling_warning(const models::Model& model, const data::BatchOptions& options);

// Accuracy, per-class precision/recall/F1 and the confusion matrix as text.
std::string format_report(const EvalResult& r, const std::vector<std::string>& class_names);

}  // namespace lm::train
