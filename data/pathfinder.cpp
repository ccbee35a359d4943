#include "data/pathfinder.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>

#include "core/base/xoshiro.h"
#include "data/error.h"

namespace lm::data {

namespace {

// Candidate directions are integer degrees spaced so that neighbouring candidate heads are
// about one pixel apart on the circle of radius paddle_length + margin.
int64_t candidate_step_degrees(const PathfinderConfig& config) {
    const double radius = config.paddle_length + config.margin;
    const auto count = std::max<int64_t>(8, static_cast<int64_t>(2 * std::numbers::pi * radius));
    int64_t step = (360 + count - 1) / count;
    while (360 % step != 0) {
        ++step;
    }
    return step;
}

// Inverse CDF over non-negative weights; `target` lies in [0, sum of weights).
int64_t pick(const std::vector<double>& weights, double target) {
    int64_t last = 0;
    for (size_t k = 0; k < weights.size(); ++k) {
        if (weights[k] <= 0) continue;
        last = static_cast<int64_t>(k);
        if (target < weights[k]) break;
        target -= weights[k];
    }
    return last;
}

class Generator {
  public:
    Generator(uint64_t seed, const PathfinderConfig& config)
        : rng_(seed),
          config_(config),
          step_(candidate_step_degrees(config)),
          occupied_(config.image_size, config.supersampling) {}

    PathfinderImage run(int32_t label) {
        PathfinderImage image;
        image.label = label;
        image.restarts = place_targets();
        place_markers(image);
        place_distractors();
        image.snakes = snakes_;
        image.pixels = render(image);
        return image;
    }

  private:
    struct Growth {
        Point head;
        int64_t heading = 0;
        std::optional<Segment> pending;  // latest paddle, not yet in the occupancy grid
        std::vector<int64_t> headings;   // of every paddle, for backtracking
    };

    bool inside(Point p) const {
        const double lo = config_.border, hi = config_.image_size - config_.border;
        return p.x >= lo && p.x <= hi && p.y >= lo && p.y <= hi;
    }

    double ink_radius() const { return config_.thickness / 2; }

    // A paddle of snake `s` is clear if it keeps `margin` from all ink in the grid and from
    // the pending paddles of the other snakes being grown.
    bool clear(const Segment& paddle, size_t s) const {
        if (occupied_.any_within(paddle, ink_radius() + config_.margin)) return false;
        for (size_t t = 0; t < growth_.size(); ++t) {
            if (t == s || !growth_[t].pending) continue;
            if (segment_distance(paddle, *growth_[t].pending) <=
                config_.thickness + config_.margin) {
                return false;
            }
        }
        return true;
    }

    void accept(size_t s, const Segment& paddle, int64_t heading) {
        Growth& g = growth_[s];
        if (g.pending) occupied_.mark(*g.pending, ink_radius());
        g.pending = paddle;
        g.head = paddle.b;
        g.heading = heading;
        g.headings.push_back(heading);
        snakes_[s].paddles.push_back(paddle);
    }

    // Starts snake s with its first paddle from `tail`; false if it does not fit.
    bool start(size_t s, Point tail, int64_t heading) {
        const Segment paddle{tail, along(tail, heading, config_.paddle_length)};
        if (!inside(paddle.a) || !inside(paddle.b) || !clear(paddle, s)) return false;
        accept(s, paddle, heading);
        return true;
    }

    bool extend(size_t s);
    int place_targets();
    bool grow_targets(size_t a, size_t b);
    void backtrack_targets(size_t a, size_t b, size_t keep);
    void place_markers(PathfinderImage& image);
    void place_distractors();
    bool grow_distractor();
    std::vector<uint8_t> render(const PathfinderImage& image) const;

    void reset() {
        occupied_ = SampleGrid(config_.image_size, config_.supersampling);
        snakes_.clear();
        growth_.clear();
    }

    size_t add_snake() {
        snakes_.emplace_back();
        growth_.emplace_back();
        return snakes_.size() - 1;
    }

    void finish(size_t s) {
        if (growth_[s].pending) occupied_.mark(*growth_[s].pending, ink_radius());
        growth_[s].pending.reset();
    }

    Rng rng_;
    const PathfinderConfig& config_;
    int64_t step_;
    SampleGrid occupied_;
    std::vector<PathfinderSnake> snakes_;
    std::vector<Growth> growth_;
};

// Adds one paddle to snake s: candidate heads on a circle around the pivot, weighted by how
// little they turn, sampled by inverse CDF; a rejected candidate is dropped and another drawn.
bool Generator::extend(size_t s) {
    const Growth& g = growth_[s];
    const Point pivot = along(g.head, g.heading, config_.margin);
    const double radius = config_.paddle_length + config_.margin;
    const int64_t count = 360 / step_;
    std::vector<double> weights(count, 0.0);
    for (int64_t k = 0; k < count; ++k) {
        const Point head = along(pivot, k * step_, radius);
        if (!inside(head) || occupied_.covers(head)) continue;
        const double turn = std::abs(turn_degrees(k * step_, g.heading)) * std::numbers::pi / 180;
        const double c = std::cos(std::min(config_.continuity * turn, std::numbers::pi / 2));
        weights[k] = c * c;
    }
    for (int attempt = 0; attempt < config_.paddle_retries; ++attempt) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        if (total <= 1e-12) return false;
        const int64_t k = pick(weights, rng_.uniform01() * total);
        const Segment paddle{along(pivot, k * step_, config_.margin),
                             along(pivot, k * step_, radius)};
        if (inside(paddle.a) && inside(paddle.b) && clear(paddle, s)) {
            accept(s, paddle, k * step_);
            return true;
        }
        weights[k] = 0;
    }
    return false;
}

// Grows the two targets side by side, one paddle each per round; a round that fails takes
// both back by a few paddles, and too many failures start over. Returns the number of restarts.
int Generator::place_targets() {
    const double centre = config_.image_size / 2.0;
    for (int restart = 0; restart <= config_.max_restarts; ++restart) {
        reset();
        const size_t a = add_snake(), b = add_snake();
        const Point tail_a{centre - 2 + 4 * rng_.uniform01(), centre - 2 + 4 * rng_.uniform01()};
        const Point tail_b = along(tail_a, rng_.uniform_int(0, 359), config_.seed_distance);
        const int64_t heading_a = rng_.uniform_int(0, 359), heading_b = rng_.uniform_int(0, 359);
        if (start(a, tail_a, heading_a) && start(b, tail_b, heading_b) && grow_targets(a, b)) {
            finish(a);
            finish(b);
            return restart;
        }
    }
    throw DataError("pathfinder: could not place two target contours of " +
                    std::to_string(config_.contour_length) + " paddles after " +
                    std::to_string(config_.max_restarts) + " restarts");
}

bool Generator::grow_targets(size_t a, size_t b) {
    constexpr int kMaxBacktracks = 8;
    constexpr size_t kBacktrackPaddles = 2;
    int backtracks = 0;
    for (size_t done = 1; done < static_cast<size_t>(config_.contour_length);) {
        if (extend(a) && extend(b)) {
            ++done;
            continue;
        }
        if (++backtracks > kMaxBacktracks) return false;
        done = done > kBacktrackPaddles ? done - kBacktrackPaddles : 1;
        backtrack_targets(a, b, done);
    }
    return true;
}

// Cuts both targets back to `keep` paddles and rebuilds the occupancy grid from what is left
// (each target's last paddle stays pending, as during growth).
void Generator::backtrack_targets(size_t a, size_t b, size_t keep) {
    occupied_ = SampleGrid(config_.image_size, config_.supersampling);
    for (size_t s : {a, b}) {
        auto& paddles = snakes_[s].paddles;
        Growth& g = growth_[s];
        paddles.resize(keep);
        g.headings.resize(keep);
        for (size_t i = 0; i + 1 < keep; ++i) {
            occupied_.mark(paddles[i], ink_radius());
        }
        g.pending = paddles.back();
        g.head = paddles.back().b;
        g.heading = g.headings.back();
    }
}

// The first marker sits on the tail of a random target, the second on the head of the same
// target (label 1) or of the other one (label 0). Distractors then keep clear of both dots.
void Generator::place_markers(PathfinderImage& image) {
    const int first = rng_.bit() ? 1 : 0;
    image.origin_snake = first;
    image.terminal_snake = image.label == 1 ? first : 1 - first;
    image.origin = snakes_[image.origin_snake].paddles.front().a;
    image.terminal = snakes_[image.terminal_snake].paddles.back().b;
    occupied_.mark({image.origin, image.origin}, config_.marker_radius);
    occupied_.mark({image.terminal, image.terminal}, config_.marker_radius);
}

bool Generator::grow_distractor() {
    const size_t s = add_snake();
    const double lo = 1.0, span = config_.image_size - 2.0;
    for (int draw = 0; draw < 100; ++draw) {
        const Point tail{lo + span * rng_.uniform01(), lo + span * rng_.uniform01()};
        if (occupied_.covers(tail)) continue;
        bool ok = start(s, tail, rng_.uniform_int(0, 359));
        for (int64_t i = 1; ok && i < config_.distractor_length(); ++i) {
            ok = extend(s);
        }
        if (ok) finish(s);
        return ok;
    }
    return false;
}

void Generator::place_distractors() {
    for (int64_t d = 0; d < config_.distractor_count(); ++d) {
        for (int attempt = 0; attempt < config_.distractor_tries; ++attempt) {
            const SampleGrid before = occupied_;
            if (grow_distractor()) break;
            occupied_ = before;  // roll back a partial snake
            snakes_.pop_back();
            growth_.pop_back();
        }
    }
}

// Ink within thickness/2 of each paddle and marker discs, box-filtered to pixels; the image is
// then scaled so that its brightest pixel is 255 (the markers), as LRA's bytescale did.
std::vector<uint8_t> Generator::render(const PathfinderImage& image) const {
    SampleGrid ink(config_.image_size, config_.supersampling);
    SampleGrid markers(config_.image_size, config_.supersampling);
    for (const auto& snake : snakes_) {
        for (const auto& paddle : snake.paddles) {
            ink.mark(paddle, ink_radius());
        }
    }
    markers.mark({image.origin, image.origin}, config_.marker_radius);
    markers.mark({image.terminal, image.terminal}, config_.marker_radius);
    const int64_t side = config_.image_size;
    std::vector<double> intensity(side * side);
    for (int64_t y = 0; y < side; ++y) {
        for (int64_t x = 0; x < side; ++x) {
            intensity[y * side + x] = std::max(ink.coverage(x, y), markers.coverage(x, y));
        }
    }
    const double brightest = *std::max_element(intensity.begin(), intensity.end());
    std::vector<uint8_t> pixels(side * side);
    for (size_t i = 0; i < pixels.size(); ++i) {
        pixels[i] = static_cast<uint8_t>(std::lround(255.0 * intensity[i] / brightest));
    }
    return pixels;
}

}  // namespace

PathfinderImage generate_pathfinder(uint64_t seed, const PathfinderConfig& config, int32_t label) {
    if (label != 0 && label != 1) {
        throw DataError("pathfinder: expected label 0 or 1, got " + std::to_string(label));
    }
    return Generator(seed, config).run(label);
}

}  // namespace lm::data
