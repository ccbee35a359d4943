// Geometry and rasterisation for the Pathfinder generator: points, segments, integer-degree
// directions (a table, so control flow never depends on libm rounding) and a supersampled
// occupancy grid.
#pragma once

#include <cstdint>
#include <vector>

namespace lm::data {

struct Point {
    double x = 0, y = 0;
};

struct Segment {
    Point a, b;
};

// Unit vector of an integer angle in degrees (any integer; taken modulo 360).
Point direction(int64_t degrees);
// Signed difference a - b wrapped into (-180, 180].
int64_t turn_degrees(int64_t a, int64_t b);
Point along(Point from, int64_t degrees, double distance);

double distance(Point p, Point q);
double squared_distance(Point p, Point q);
double point_segment_distance(Point p, const Segment& s);
double point_segment_squared_distance(Point p, const Segment& s);
double segment_distance(const Segment& s, const Segment& t);

// A square grid of supersamples covering a side x side pixel image, `scale` samples per pixel.
class SampleGrid {
  public:
    SampleGrid(int64_t side, int scale);
    int64_t side() const { return side_; }
    int scale() const { return scale_; }
    bool at(int64_t i, int64_t j) const { return cells_[j * samples_ + i] != 0; }
    // True if the sample containing p is set (false outside the grid).
    bool covers(Point p) const;
    // Sets every sample whose centre lies within `radius` of the segment (or of a point when
    // a == b).
    void mark(const Segment& s, double radius);
    // True if any set sample lies within `radius` of the segment.
    bool any_within(const Segment& s, double radius) const;
    // Fraction of set samples inside pixel (x, y).
    double coverage(int64_t x, int64_t y) const;

  private:
    struct Bounds {
        int64_t i0, i1, j0, j1;  // inclusive sample index ranges
    };
    // Samples that can lie within radius of the segment.
    Bounds bounds(const Segment& s, double radius) const;
    Point centre(int64_t i, int64_t j) const;

    int64_t side_;
    int scale_;
    int64_t samples_;
    std::vector<uint8_t> cells_;
};

}  // namespace lm::data
