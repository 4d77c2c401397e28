#pragma once

namespace breakwater {

// A value axis from 0 to `top` with ticks every `step`, both round numbers (1, 2, 2.5 or 5 times a
// power of ten), so labels read 0, 20, 40, ... rather than 0, 17.3, 34.6.
struct AxisScale
{
    double top = 1.0;
    double step = 0.25;
};

// The smallest round scale with about four steps that shows `largest`; never below `minimumTop`.
AxisScale niceAxisScale(double largest, double minimumTop);

} // namespace breakwater
