// BatchStream: batches over a split, endless over epochs (training) or one pass (evaluation),
// prepared ahead on a background thread.
//
// The order is a pure function of (options, epoch, position), so restore(state) followed by
// next() gives exactly the batches an uninterrupted stream would have given. The background
// thread fills a bounded queue in that order; an exception it hits is rethrown by the next()
// call that would have returned the failing batch. The examples must outlive the stream.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "data/batch.h"

namespace lm::data {

struct StreamState {
    uint64_t epoch = 0;
    uint64_t position = 0;  // batches already returned in this epoch

    bool operator==(const StreamState&) const = default;
};

class BatchStream {
  public:
    // Throws DataError for invalid options or when an epoch would have no batch.
    BatchStream(const std::vector<Example>& examples, BatchOptions options, bool endless);
    ~BatchStream();
    BatchStream(const BatchStream&) = delete;
    BatchStream& operator=(const BatchStream&) = delete;

    // The next batch; throws DataError when a one-pass stream is done, or what preparing the
    // batch threw.
    HostBatch next();
    bool done() const;
    // Position after the batches returned so far (what a checkpoint saves).
    StreamState state() const { return consumer_; }
    // Continues from a saved state; throws DataError if it is out of range.
    void restore(StreamState state);
    int64_t batches_per_epoch() const { return batches_per_epoch_; }

  private:
    struct Item {
        HostBatch batch;
        std::exception_ptr error;
    };

    HostBatch prepare(const StreamState& state);  // the batch at `state`
    StreamState advance(StreamState state) const;
    void start_worker();
    void stop_worker();
    void work();

    const std::vector<Example>& examples_;
    BatchOptions options_;
    bool endless_;
    std::vector<int64_t> lengths_;
    BatchShape shape_;
    int64_t batches_per_epoch_ = 0;
    StreamState consumer_;

    // Plan cache, used by whichever thread prepares batches (one at a time).
    uint64_t planned_epoch_ = UINT64_MAX;
    std::vector<std::vector<int64_t>> plan_;

    std::thread worker_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Item> queue_;
    StreamState producer_;
    bool stop_ = false;
};

}  // namespace lm::data
