#include "data/pathfinder_canvas.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace lm::data {

namespace {

const std::array<Point, 360>& direction_table() {
    static const std::array<Point, 360> table = [] {
        std::array<Point, 360> out{};
        for (int d = 0; d < 360; ++d) {
            const double radians = d * std::numbers::pi / 180.0;
            out[d] = {std::cos(radians), std::sin(radians)};
        }
        return out;
    }();
    return table;
}

double cross(Point o, Point a, Point b) {
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

bool segments_cross(const Segment& s, const Segment& t) {
    const double d1 = cross(t.a, t.b, s.a), d2 = cross(t.a, t.b, s.b);
    const double d3 = cross(s.a, s.b, t.a), d4 = cross(s.a, s.b, t.b);
    return ((d1 > 0) != (d2 > 0)) && ((d3 > 0) != (d4 > 0)) && d1 != 0 && d2 != 0 && d3 != 0 &&
           d4 != 0;
}

}  // namespace

Point direction(int64_t degrees) {
    return direction_table()[((degrees % 360) + 360) % 360];
}

int64_t turn_degrees(int64_t a, int64_t b) {
    int64_t d = ((a - b) % 360 + 360) % 360;
    return d > 180 ? d - 360 : d;
}

Point along(Point from, int64_t degrees, double length) {
    const Point u = direction(degrees);
    return {from.x + length * u.x, from.y + length * u.y};
}

double distance(Point p, Point q) {
    return std::sqrt(squared_distance(p, q));
}

double squared_distance(Point p, Point q) {
    return (p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y);
}

double point_segment_squared_distance(Point p, const Segment& s) {
    const double dx = s.b.x - s.a.x, dy = s.b.y - s.a.y;
    const double length2 = dx * dx + dy * dy;
    double t = length2 > 0 ? ((p.x - s.a.x) * dx + (p.y - s.a.y) * dy) / length2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    return squared_distance(p, {s.a.x + t * dx, s.a.y + t * dy});
}

double point_segment_distance(Point p, const Segment& s) {
    return std::sqrt(point_segment_squared_distance(p, s));
}

double segment_distance(const Segment& s, const Segment& t) {
    if (segments_cross(s, t)) return 0.0;
    return std::min({point_segment_distance(s.a, t), point_segment_distance(s.b, t),
                     point_segment_distance(t.a, s), point_segment_distance(t.b, s)});
}

SampleGrid::SampleGrid(int64_t side, int scale)
    : side_(side), scale_(scale), samples_(side * scale), cells_(samples_ * samples_, 0) {}

bool SampleGrid::covers(Point p) const {
    const auto i = static_cast<int64_t>(std::floor(p.x * scale_));
    const auto j = static_cast<int64_t>(std::floor(p.y * scale_));
    if (i < 0 || j < 0 || i >= samples_ || j >= samples_) return false;
    return at(i, j);
}

SampleGrid::Bounds SampleGrid::bounds(const Segment& s, double radius) const {
    const auto to_index = [&](double coordinate) {
        return static_cast<int64_t>(std::floor(coordinate * scale_ - 0.5));
    };
    return {std::max<int64_t>(0, to_index(std::min(s.a.x, s.b.x) - radius)),
            std::min(samples_ - 1, to_index(std::max(s.a.x, s.b.x) + radius) + 1),
            std::max<int64_t>(0, to_index(std::min(s.a.y, s.b.y) - radius)),
            std::min(samples_ - 1, to_index(std::max(s.a.y, s.b.y) + radius) + 1)};
}

Point SampleGrid::centre(int64_t i, int64_t j) const {
    return {(i + 0.5) / scale_, (j + 0.5) / scale_};
}

void SampleGrid::mark(const Segment& s, double radius) {
    const Bounds b = bounds(s, radius);
    for (int64_t j = b.j0; j <= b.j1; ++j) {
        for (int64_t i = b.i0; i <= b.i1; ++i) {
            if (point_segment_squared_distance(centre(i, j), s) <= radius * radius) {
                cells_[j * samples_ + i] = 1;
            }
        }
    }
}

bool SampleGrid::any_within(const Segment& s, double radius) const {
    const Bounds b = bounds(s, radius);
    for (int64_t j = b.j0; j <= b.j1; ++j) {
        for (int64_t i = b.i0; i <= b.i1; ++i) {
            if (at(i, j) && point_segment_squared_distance(centre(i, j), s) <= radius * radius) {
                return true;
            }
        }
    }
    return false;
}

double SampleGrid::coverage(int64_t x, int64_t y) const {
    int count = 0;
    for (int dj = 0; dj < scale_; ++dj) {
        for (int di = 0; di < scale_; ++di) {
            count += at(x * scale_ + di, y * scale_ + dj);
        }
    }
    return static_cast<double>(count) / (scale_ * scale_);
}

}  // namespace lm::data
