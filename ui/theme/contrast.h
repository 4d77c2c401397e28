#pragma once

#include <QColor>

#include <initializer_list>

namespace breakwater {

// WCAG 2 relative luminance of an opaque colour: 0 for black, 1 for white. Alpha is ignored.
double relativeLuminance(const QColor& color);

// WCAG 2 contrast ratio, from 1 (the same luminance) to 21 (black on white); symmetric.
double contrastRatio(const QColor& first, const QColor& second);

// The least contrast WCAG asks of normal-sized text (level AA).
inline constexpr double kMinimumTextContrast = 4.5;

// Black or white, whichever reads better on the background.
QColor textColorOn(const QColor& background);

// Whether white text reads better on it than black: the background counts as dark.
bool isDarkBackground(const QColor& background);

// The colour, made darker (on a light background) or lighter (on a dark one) just enough to reach
// `minimum` contrast against every background given, keeping its hue. Returned unchanged when it
// already reads well; as close as it gets when no shade can (a mid-grey background).
QColor withContrast(const QColor& color, std::initializer_list<QColor> backgrounds,
                    double minimum = kMinimumTextContrast);

} // namespace breakwater
