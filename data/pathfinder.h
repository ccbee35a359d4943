// Pathfinder images (Linsley et al. 2018, as used by the Long Range Arena): dashed curvy
// contours made of short paddles, distractor contours, and two marker dots on contour ends.
// The label is 1 when both markers sit on the same contour.
//
// Each image is generated from its own random stream, so any example can be reproduced alone
// and images can be generated in parallel. Both classes always contain two full-length target
// contours; only which ends carry the markers differs.
#pragma once

#include <cstdint>
#include <vector>

#include "data/pathfinder_canvas.h"

namespace lm::data {

// Defaults are the 32x32 LRA parameters.
struct PathfinderConfig {
    int64_t image_size = 32;
    int64_t contour_length = 14;  // paddles per target contour (LRA: 6, 9, 14)
    double paddle_length = 2.0;
    double margin = 1.0;  // gap on each side of a pivot; minimum clearance of contours
    double thickness = 0.5;
    double marker_radius = 1.5;
    double seed_distance = 7.0;  // between the tails of the two targets
    double continuity = 1.0;     // turn weight cos^2(min(continuity * turn, 90 degrees))
    double border = 0.5;         // paddle ends stay this far inside the image
    int supersampling = 4;
    int paddle_retries = 4;
    int distractor_tries = 5;
    int max_restarts = 2000;

    int64_t distractor_length() const { return contour_length / 3 > 1 ? contour_length / 3 : 1; }
    int64_t distractor_count() const { return 20 / distractor_length(); }
};

struct PathfinderSnake {
    std::vector<Segment> paddles;  // tail = paddles.front().a, head = paddles.back().b
};

struct PathfinderImage {
    std::vector<uint8_t> pixels;          // image_size^2, row-major
    int32_t label = 0;                    // 1 = the markers are on the same contour
    std::vector<PathfinderSnake> snakes;  // 0 and 1 are the targets, then distractors
    int origin_snake = 0;                 // snake whose tail carries the first marker
    int terminal_snake = 0;               // snake whose head carries the second marker
    Point origin, terminal;               // marker centres
    int restarts = 0;                     // target constructions that had to start over
};

// Generates an image with the given label (0 or 1) from the random stream `seed`. Throws
// DataError if the targets cannot be placed within config.max_restarts attempts.
PathfinderImage generate_pathfinder(uint64_t seed, const PathfinderConfig& config, int32_t label);

}  // namespace lm::data
