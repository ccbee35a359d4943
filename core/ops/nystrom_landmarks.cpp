// Landmark segments of Nystrom attention: which positions of each example average into which
// landmark (core/ops/nystrom.h, LandmarkSegments), and the landmark means over them.
// Built on the host from a copy of the [B, N] mask, then moved to the mask's device.
#include <algorithm>
#include <vector>

#include "core/ops/dispatch.h"
#include "core/ops/elementwise.h"
#include "core/ops/nystrom.h"
#include "core/ops/nystrom_backend.h"
#include "core/tensor/factory.h"

namespace lm::ops {

namespace {

// Host arrays of one LandmarkSegments; slots_b[b] = landmarks example b uses (<= M).
struct HostSegments {
    int64_t B = 0, N = 0, M = 0;
    std::vector<int64_t> order, bounds, segment, slots;
};

// The reference: m equal segments of the padded sequence, every position counted.
HostSegments reference_segments(int64_t B, int64_t N, int64_t m) {
    LM_CHECK(m > 0 && m <= N && N % m == 0, "nystrom (landmark_mode reference): sequence length ",
             N, " must be a multiple of the landmark count ", m,
             " (pad to a multiple of it, or use landmark_mode per_example)");
    HostSegments h{B, N, m, {}, {}, {}, std::vector<int64_t>(B, m)};
    const int64_t l = N / m;
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t i = 0; i < N; ++i) {
            h.order.push_back(i);
            h.segment.push_back(i / l);
        }
        for (int64_t j = 0; j <= m; ++j)
            h.bounds.push_back(j * l);
    }
    return h;
}

// Per example: its L real tokens (mask != 0) in order, split into min(m, L) contiguous segments;
// segment j covers ranks [floor(j L / mb), floor((j + 1) L / mb)).
HostSegments per_example_segments(const std::vector<double>& mask,
                                  int64_t B,
                                  int64_t N,
                                  int64_t m) {
    HostSegments h{B, N, std::min(m, N), {}, {}, {}, {}};
    h.order.assign(B * N, 0);
    h.segment.assign(B * N, -1);
    for (int64_t b = 0; b < B; ++b) {
        std::vector<int64_t> real;
        for (int64_t i = 0; i < N; ++i) {
            if (mask[b * N + i] != 0) real.push_back(i);
        }
        const int64_t L = static_cast<int64_t>(real.size()), mb = std::min(h.M, L);
        std::copy(real.begin(), real.end(), h.order.begin() + b * N);
        for (int64_t j = 0; j <= h.M; ++j)
            h.bounds.push_back(j <= mb && mb > 0 ? j * L / mb : L);
        for (int64_t j = 0; j < mb; ++j) {
            for (int64_t r = j * L / mb; r < (j + 1) * L / mb; ++r)
                h.segment[b * N + real[r]] = j;
        }
        h.slots.push_back(mb);
    }
    return h;
}

// The softmax biases that mask out empty slots: [B, 1, 1, M] on F's columns and [B, 1, M, M] on
// A, whose empty rows become rows of the identity.
void add_empty_slot_biases(LandmarkSegments& seg, const HostSegments& h, TensorOptions opts) {
    const int64_t B = h.B, M = h.M;
    constexpr double kOff = -1e9;
    std::vector<double> fb(B * M, 0.0), ab(B * M * M, 0.0);
    for (int64_t b = 0; b < B; ++b) {
        const int64_t mb = h.slots[b];
        for (int64_t j = mb; j < M; ++j)
            fb[b * M + j] = kOff;
        for (int64_t i = 0; i < M; ++i) {
            for (int64_t j = 0; j < M; ++j) {
                const bool off = i < mb ? j >= mb : j != i;
                ab[(b * M + i) * M + j] = off ? kOff : 0.0;
            }
        }
    }
    seg.landmark_bias = from_vector(fb, {B, 1, 1, M}, opts);
    seg.pair_bias = from_vector(ab, {B, 1, M, M}, opts);
}

}  // namespace

LandmarkSegments landmark_segments(const Tensor& mask, int64_t m, LandmarkMode mode) {
    LM_CHECK(mask.dim() == 2, "landmark_segments: mask must be [B, N], got ", mask.shape().str());
    LM_CHECK(m > 0, "landmark_segments: the landmark count must be positive, got ", m);
    const int64_t B = mask.size(0), N = mask.size(1);
    const HostSegments h = mode == LandmarkMode::Reference
                               ? reference_segments(B, N, m)
                               : per_example_segments(mask.to_vector<double>(), B, N, m);
    const TensorOptions idx{DType::Int64, mask.device()};
    LandmarkSegments seg;
    seg.order = from_vector(h.order, {B, N}, idx);
    seg.bounds = from_vector(h.bounds, {B, h.M + 1}, idx);
    seg.segment = from_vector(h.segment, {B, N}, idx);
    const bool empty_slots =
        std::any_of(h.slots.begin(), h.slots.end(), [&](int64_t mb) { return mb < h.M; });
    if (empty_slots) add_empty_slot_biases(seg, h, {mask.dtype(), mask.device()});
    return seg;
}

Tensor landmark_mean(const Tensor& x, const LandmarkSegments& seg) {
    const int64_t B = seg.order.size(0);
    LM_CHECK(x.dim() == 3 && x.size(0) % B == 0 && x.size(1) == seg.order.size(1),
             "landmark_mean: x must be [B H, N, D] with B = ", B, ", N = ", seg.order.size(1),
             ", got ", x.shape().str());
    Tensor out = empty({x.size(0), seg.landmarks(), x.size(2)}, x.dtype(), x.device());
    LM_DISPATCH_DEVICE(x.device(), landmark_mean, out, contiguous(x), seg.order, seg.bounds);
    return out;
}

void landmark_mean_backward_add(const Tensor& dx, const Tensor& dl, const LandmarkSegments& seg) {
    LM_CHECK(dx.is_contiguous() && dx.dim() == 3 && dl.dim() == 3 && dl.size(0) == dx.size(0) &&
                 dl.size(1) == seg.landmarks() && dl.size(2) == dx.size(2),
             "landmark_mean_backward_add: dx ", dx.shape().str(), " and dl ", dl.shape().str(),
             " do not match ", seg.landmarks(), " landmarks");
    LM_DISPATCH_DEVICE(dx.device(), landmark_mean_backward_add, dx, contiguous(dl), seg.segment,
                       seg.bounds);
}

}  // namespace lm::ops
