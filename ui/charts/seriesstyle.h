#pragma once

#include "stats/callmetric.h"

#include <QColor>
#include <QPen>

namespace breakwater {

// How one series is drawn. Colour is never the only cue: each series of a chart also has its own
// line style, which the legend shows, and its own name.
struct SeriesStyle
{
    QColor color; // as on a light background; lightened on a dark one
    Qt::PenStyle line = Qt::SolidLine;
    qreal width = 2.0;
};

// The pen for `style` on a light or dark background.
QPen seriesPen(const SeriesStyle& style, bool darkBackground);

SeriesStyle outcomeStyle(CallOutcome outcome);
// Percentile: CallMetric::LatencyP50Ms, LatencyP95Ms or LatencyP99Ms.
SeriesStyle latencyStyle(CallMetric percentile);
SeriesStyle errorRateStyle();
SeriesStyle breakerStepStyle();
SeriesStyle breakerMarkStyle();

} // namespace breakwater
