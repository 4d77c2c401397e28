#include "seriesstyle.h"

namespace breakwater {

QPen seriesPen(const SeriesStyle& style, bool darkBackground)
{
    // Mid-tone hues read on white; on a dark base they need more light to keep their contrast.
    QPen pen(darkBackground ? style.color.lighter(140) : style.color);
    pen.setStyle(style.line);
    pen.setWidthF(style.width);
    return pen;
}

SeriesStyle outcomeStyle(CallOutcome outcome)
{
    switch (outcome) {
    case CallOutcome::Succeeded:
        return {QColor(0x2e, 0x8b, 0x57), Qt::SolidLine, 2.0};
    case CallOutcome::RetriedThenSucceeded:
        return {QColor(0x1f, 0x6f, 0xc5), Qt::DashLine, 2.0};
    case CallOutcome::Failed:
        return {QColor(0xc6, 0x28, 0x28), Qt::SolidLine, 3.0};
    case CallOutcome::Skipped:
        return {QColor(0xb8, 0x6e, 0x00), Qt::DotLine, 2.5};
    case CallOutcome::Degraded:
        return {QColor(0x8e, 0x44, 0xad), Qt::DashDotLine, 2.0};
    }
    return {};
}

SeriesStyle latencyStyle(CallMetric percentile)
{
    switch (percentile) {
    case CallMetric::LatencyP50Ms:
        return {QColor(0x1f, 0x6f, 0xc5), Qt::SolidLine, 2.0};
    case CallMetric::LatencyP95Ms:
        return {QColor(0xb8, 0x6e, 0x00), Qt::DashLine, 2.0};
    default:
        return {QColor(0xc6, 0x28, 0x28), Qt::DotLine, 2.5};
    }
}

SeriesStyle errorRateStyle()
{
    return {QColor(0xc6, 0x28, 0x28), Qt::SolidLine, 2.0};
}

SeriesStyle breakerStepStyle()
{
    return {QColor(0x1f, 0x6f, 0xc5), Qt::SolidLine, 2.0};
}

SeriesStyle breakerMarkStyle()
{
    return {QColor(0xb8, 0x6e, 0x00), Qt::SolidLine, 1.5};
}

} // namespace breakwater
