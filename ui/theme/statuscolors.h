#pragma once

#include "alerts/alert.h"
#include "breaker/breakerstate.h"
#include "events/event.h"

#include <QColor>
#include <QPalette>

namespace breakwater {

// Colours that mark states, levels and severities on the dashboard, picked for the palette in use
// (deep shades on a light one, light shades on a dark one). Each reads at WCAG AA contrast (4.5:1)
// as text on the palette's Window, Base and AlternateBase, and textColorOn() (contrast.h) reads on
// it as a badge's background. Colour is never the only sign: callers show the name as well.

// Closed green, open red, half-open amber, forced open purple, disabled grey.
QColor breakerStateColor(BreakerState state, const QPalette& palette);

// Debug grey, info blue, warning amber, error red, critical crimson.
QColor eventLevelColor(EventLevel level, const QPalette& palette);

// The same hues as the event levels of the same name.
QColor alertSeverityColor(AlertSeverity severity, const QPalette& palette);

} // namespace breakwater
