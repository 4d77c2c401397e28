#include "axisscale.h"

#include <algorithm>
#include <cmath>

namespace breakwater {

AxisScale niceAxisScale(double largest, double minimumTop)
{
    constexpr int kSteps = 4;
    const double wanted = std::max({largest, minimumTop, 1e-9});
    const double rough = wanted / kSteps;
    const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    double step = 10.0 * magnitude;
    for (double factor : {1.0, 2.0, 2.5, 5.0}) {
        if (factor * magnitude >= rough) {
            step = factor * magnitude;
            break;
        }
    }
    return {step * std::ceil(wanted / step - 1e-9), step};
}

} // namespace breakwater
