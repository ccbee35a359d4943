#include "data/batch_stream.h"

#include "data/error.h"

namespace lm::data {

BatchStream::BatchStream(const std::vector<Example>& examples, BatchOptions options, bool endless)
    : examples_(examples), options_(std::move(options)), endless_(endless) {
    validate_batch_options(options_);
    lengths_.reserve(examples_.size());
    for (const auto& e : examples_) {
        lengths_.push_back(static_cast<int64_t>(e.tokens.size() + e.tokens2.size()));
    }
    shape_ = batch_shape(examples_, options_);
    batches_per_epoch_ =
        lm::data::batches_per_epoch(static_cast<int64_t>(examples_.size()), options_);
    if (batches_per_epoch_ == 0) {
        throw DataError("batch stream: " + std::to_string(examples_.size()) +
                        " examples give no batch of " + std::to_string(options_.batch_size) +
                        (options_.drop_last ? " with drop_last" : ""));
    }
}

BatchStream::~BatchStream() {
    stop_worker();
}

bool BatchStream::done() const {
    return !endless_ && consumer_.position >= static_cast<uint64_t>(batches_per_epoch_);
}

StreamState BatchStream::advance(StreamState state) const {
    ++state.position;
    if (endless_ && state.position == static_cast<uint64_t>(batches_per_epoch_)) {
        ++state.epoch;
        state.position = 0;
    }
    return state;
}

HostBatch BatchStream::prepare(const StreamState& state) {
    if (planned_epoch_ != state.epoch) {
        plan_ = plan_epoch(lengths_, options_, state.epoch);
        planned_epoch_ = state.epoch;
    }
    return make_batch(examples_, plan_[state.position], options_, shape_);
}

HostBatch BatchStream::next() {
    if (done()) throw DataError("batch stream: next() after the end of the pass");
    if (options_.prefetch == 0) {
        HostBatch batch = prepare(consumer_);
        consumer_ = advance(consumer_);
        return batch;
    }
    if (!worker_.joinable()) start_worker();
    Item item;
    {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [&] { return !queue_.empty(); });
        item = std::move(queue_.front());
        queue_.pop_front();
    }
    changed_.notify_all();
    if (item.error) {
        // The worker has ended; a later next() starts a new one at the same position.
        stop_worker();
        std::rethrow_exception(item.error);
    }
    consumer_ = advance(consumer_);
    return std::move(item.batch);
}

void BatchStream::restore(StreamState state) {
    if (state.position >= static_cast<uint64_t>(batches_per_epoch_) &&
        !(state.position == static_cast<uint64_t>(batches_per_epoch_) && !endless_)) {
        throw DataError("batch stream: cannot restore position " + std::to_string(state.position) +
                        " of an epoch with " + std::to_string(batches_per_epoch_) + " batches");
    }
    if (!endless_ && state.epoch != 0) {
        throw DataError("batch stream: a one-pass stream has only epoch 0, got epoch " +
                        std::to_string(state.epoch));
    }
    stop_worker();
    consumer_ = state;
}

void BatchStream::start_worker() {
    stop_ = false;
    queue_.clear();
    producer_ = consumer_;
    worker_ = std::thread([this] { work(); });
}

void BatchStream::stop_worker() {
    if (!worker_.joinable()) return;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    changed_.notify_all();
    worker_.join();
    queue_.clear();
}

// Produces batches in order until stopped, the pass ends, or preparing a batch throws (the
// exception is queued in place of that batch and the worker ends).
void BatchStream::work() {
    while (true) {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            changed_.wait(lock, [&] {
                return stop_ || queue_.size() < static_cast<size_t>(options_.prefetch);
            });
            if (stop_) return;
        }
        if (!endless_ && producer_.position >= static_cast<uint64_t>(batches_per_epoch_)) return;
        Item item;
        try {
            item.batch = prepare(producer_);
        } catch (...) {
            item.error = std::current_exception();
        }
        std::lock_guard<std::mutex> lock(mutex_);
        const bool failed = static_cast<bool>(item.error);
        queue_.push_back(std::move(item));
        changed_.notify_all();
        if (failed) return;
        producer_ = advance(producer_);
    }
}

}  // namespace lm::data
