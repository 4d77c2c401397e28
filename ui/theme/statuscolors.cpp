#include "statuscolors.h"

#include "contrast.h"

namespace breakwater {

namespace {

// One hue in two shades: for light backgrounds and for dark ones.
struct Shades
{
    QRgb onLight;
    QRgb onDark;
};

constexpr Shades kGreen{0x1a7431, 0x5fcf80};
constexpr Shades kRed{0xb3261e, 0xff8a80};
constexpr Shades kAmber{0x845400, 0xf0b440};
constexpr Shades kPurple{0x7b2a8c, 0xe39cf0};
constexpr Shades kGrey{0x5c6166, 0xaab0b6};
constexpr Shades kBlue{0x1a5aa8, 0x82b4ff};
constexpr Shades kCrimson{0x8c0f3f, 0xff7eb3};

// The shade for the palette, nudged further if the palette is neither of ours (the platform's
// under Theme::System) and the shade does not read on it.
QColor shadeFor(const Shades& shades, const QPalette& palette)
{
    const QColor window = palette.color(QPalette::Window);
    const QColor base = palette.color(QPalette::Base);
    const QColor alternate = palette.color(QPalette::AlternateBase);
    const QColor shade = QColor::fromRgb(isDarkBackground(base) ? shades.onDark : shades.onLight);
    return withContrast(shade, {base, window, alternate});
}

} // namespace

QColor breakerStateColor(BreakerState state, const QPalette& palette)
{
    switch (state) {
    case BreakerState::Closed:
        return shadeFor(kGreen, palette);
    case BreakerState::Open:
        return shadeFor(kRed, palette);
    case BreakerState::HalfOpen:
        return shadeFor(kAmber, palette);
    case BreakerState::ForcedOpen:
        return shadeFor(kPurple, palette);
    case BreakerState::Disabled:
        return shadeFor(kGrey, palette);
    }
    return shadeFor(kGrey, palette);
}

QColor eventLevelColor(EventLevel level, const QPalette& palette)
{
    switch (level) {
    case EventLevel::Debug:
        return shadeFor(kGrey, palette);
    case EventLevel::Info:
        return shadeFor(kBlue, palette);
    case EventLevel::Warning:
        return shadeFor(kAmber, palette);
    case EventLevel::Error:
        return shadeFor(kRed, palette);
    case EventLevel::Critical:
        return shadeFor(kCrimson, palette);
    }
    return shadeFor(kGrey, palette);
}

QColor alertSeverityColor(AlertSeverity severity, const QPalette& palette)
{
    switch (severity) {
    case AlertSeverity::Info:
        return eventLevelColor(EventLevel::Info, palette);
    case AlertSeverity::Warning:
        return eventLevelColor(EventLevel::Warning, palette);
    case AlertSeverity::Critical:
        return eventLevelColor(EventLevel::Critical, palette);
    }
    return eventLevelColor(EventLevel::Info, palette);
}

} // namespace breakwater
