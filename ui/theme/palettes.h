#pragma once

#include <QPalette>

namespace breakwater {

// The dashboard's two palettes for the Fusion style: every colour role in the active, inactive
// and disabled groups. Text roles reach at least WCAG AA contrast (4.5:1) on the backgrounds they
// are drawn on; disabled text is dimmed on purpose (WCAG exempts inactive controls).
QPalette lightPalette();
QPalette darkPalette();

} // namespace breakwater
