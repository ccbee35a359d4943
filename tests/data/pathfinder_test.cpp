#include "data/pathfinder.h"

#include <gtest/gtest.h>

#include "core/base/xoshiro.h"
#include "data/error.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

PathfinderImage image(uint64_t index, const PathfinderConfig& config = {}, int32_t label = -1) {
    if (label < 0) label = static_cast<int32_t>(index % 2);
    return generate_pathfinder(stream_seed(0, "pathfinder-test", 0, index), config, label);
}

bool same_point(Point a, Point b) {
    return distance(a, b) < 1e-9;
}

TEST(Pathfinder, LabelIsTrueByConstruction) {
    for (uint64_t i = 0; i < 200; ++i) {
        const auto im = image(i);
        ASSERT_GE(im.snakes.size(), 2u);
        EXPECT_EQ(im.label, im.origin_snake == im.terminal_snake ? 1 : 0);
        EXPECT_TRUE(im.origin_snake == 0 || im.origin_snake == 1);
        EXPECT_TRUE(im.terminal_snake == 0 || im.terminal_snake == 1);
        // The first marker is on a tail, the second on a head.
        EXPECT_TRUE(same_point(im.origin, im.snakes[im.origin_snake].paddles.front().a));
        EXPECT_TRUE(same_point(im.terminal, im.snakes[im.terminal_snake].paddles.back().b));
    }
}

TEST(Pathfinder, ContoursHaveTheConfiguredLengths) {
    for (int64_t length : {6, 9, 14}) {
        PathfinderConfig config;
        config.contour_length = length;
        for (uint64_t i = 0; i < 20; ++i) {
            const auto im = image(i, config);
            EXPECT_EQ(im.snakes[0].paddles.size(), static_cast<size_t>(length));
            EXPECT_EQ(im.snakes[1].paddles.size(), static_cast<size_t>(length));
            EXPECT_LE(static_cast<int64_t>(im.snakes.size()), 2 + config.distractor_count());
            for (size_t s = 2; s < im.snakes.size(); ++s) {
                EXPECT_EQ(static_cast<int64_t>(im.snakes[s].paddles.size()),
                          config.distractor_length());
            }
        }
    }
}

TEST(Pathfinder, DifferentContoursKeepTheirDistance) {
    const PathfinderConfig config;
    for (uint64_t i = 0; i < 40; ++i) {
        const auto im = image(i);
        for (size_t s = 0; s < im.snakes.size(); ++s) {
            for (size_t t = s + 1; t < im.snakes.size(); ++t) {
                for (const auto& a : im.snakes[s].paddles) {
                    for (const auto& b : im.snakes[t].paddles) {
                        ASSERT_GT(segment_distance(a, b), config.margin)
                            << "image " << i << " snakes " << s << " " << t;
                    }
                }
            }
        }
    }
}

TEST(Pathfinder, PaddlesStayInsideAndMarkersAreBrightest) {
    const PathfinderConfig config;
    for (uint64_t i = 0; i < 50; ++i) {
        const auto im = image(i);
        ASSERT_EQ(im.pixels.size(), 1024u);
        for (const auto& snake : im.snakes) {
            for (const auto& p : snake.paddles) {
                for (Point q : {p.a, p.b}) {
                    EXPECT_GE(q.x, config.border);
                    EXPECT_LE(q.x, 32 - config.border);
                    EXPECT_GE(q.y, config.border);
                    EXPECT_LE(q.y, 32 - config.border);
                }
            }
        }
        for (Point marker : {im.origin, im.terminal}) {
            const auto x = static_cast<int>(marker.x), y = static_cast<int>(marker.y);
            EXPECT_EQ(im.pixels[std::min(y, 31) * 32 + std::min(x, 31)], 255);
        }
        int ink = 0;
        for (uint8_t p : im.pixels) {
            ink += p > 0;
        }
        EXPECT_GT(ink, 80);   // contours fill the frame...
        EXPECT_LT(ink, 500);  // ...without flooding it
    }
}

TEST(Pathfinder, SameStreamSameImage) {
    for (uint64_t i = 0; i < 10; ++i) {
        EXPECT_EQ(image(i).pixels, image(i).pixels);
        EXPECT_NE(image(i).pixels, image(i + 100).pixels);
    }
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(image(0, {}, 2)), "pathfinder: expected label 0 or 1, got 2");
}

}  // namespace
}  // namespace lm::data
