#include "data/pathfinder_canvas.h"

#include <gtest/gtest.h>

namespace lm::data {
namespace {

TEST(Directions, TableAndTurns) {
    EXPECT_NEAR(direction(0).x, 1.0, 1e-12);
    EXPECT_NEAR(direction(90).y, 1.0, 1e-12);
    EXPECT_NEAR(direction(-90).y, -1.0, 1e-12);
    EXPECT_NEAR(direction(450).y, 1.0, 1e-12);
    EXPECT_EQ(turn_degrees(10, 350), 20);
    EXPECT_EQ(turn_degrees(350, 10), -20);
    EXPECT_EQ(turn_degrees(180, 0), 180);
    const Point p = along({1, 1}, 90, 2);
    EXPECT_NEAR(p.x, 1.0, 1e-12);
    EXPECT_NEAR(p.y, 3.0, 1e-12);
}

TEST(Distances, PointsAndSegments) {
    const Segment s{{0, 0}, {2, 0}};
    EXPECT_DOUBLE_EQ(point_segment_distance({1, 1}, s), 1.0);
    EXPECT_DOUBLE_EQ(point_segment_distance({3, 0}, s), 1.0);
    EXPECT_DOUBLE_EQ(segment_distance(s, {{0, 2}, {2, 2}}), 2.0);
    EXPECT_DOUBLE_EQ(segment_distance(s, {{1, -1}, {1, 1}}), 0.0);  // crossing
}

TEST(SampleGrid, MarksAndFindsInk) {
    SampleGrid grid(8, 4);
    const Segment horizontal{{1, 2.5}, {5, 2.5}};
    grid.mark(horizontal, 0.25);
    EXPECT_TRUE(grid.covers({3, 2.5}));
    EXPECT_FALSE(grid.covers({3, 4}));
    EXPECT_FALSE(grid.covers({-1, 2.5}));
    EXPECT_TRUE(grid.any_within({{3, 3.5}, {4, 3.5}}, 1.0));
    EXPECT_FALSE(grid.any_within({{3, 5}, {4, 5}}, 1.0));
    // A line through the middle of pixel row 2 covers two of its four sample rows.
    EXPECT_DOUBLE_EQ(grid.coverage(3, 2), 0.5);
    EXPECT_DOUBLE_EQ(grid.coverage(3, 5), 0.0);
}

}  // namespace
}  // namespace lm::data
