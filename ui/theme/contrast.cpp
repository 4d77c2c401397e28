#include "contrast.h"

#include <algorithm>
#include <cmath>

namespace breakwater {

namespace {

// sRGB channel (0..1) to linear light, per WCAG 2.
double linearChannel(double channel)
{
    return channel <= 0.04045 ? channel / 12.92 : std::pow((channel + 0.055) / 1.055, 2.4);
}

double weakestContrast(const QColor& color, std::initializer_list<QColor> backgrounds)
{
    double weakest = 21.0;
    for (const QColor& background : backgrounds)
        weakest = std::min(weakest, contrastRatio(color, background));
    return weakest;
}

} // namespace

double relativeLuminance(const QColor& color)
{
    const QColor rgb = color.toRgb();
    return 0.2126 * linearChannel(rgb.redF()) + 0.7152 * linearChannel(rgb.greenF()) +
           0.0722 * linearChannel(rgb.blueF());
}

double contrastRatio(const QColor& first, const QColor& second)
{
    const double a = relativeLuminance(first);
    const double b = relativeLuminance(second);
    return (std::max(a, b) + 0.05) / (std::min(a, b) + 0.05);
}

QColor textColorOn(const QColor& background)
{
    return isDarkBackground(background) ? QColor(Qt::white) : QColor(Qt::black);
}

bool isDarkBackground(const QColor& background)
{
    return contrastRatio(QColor(Qt::white), background) >
           contrastRatio(QColor(Qt::black), background);
}

QColor withContrast(const QColor& color, std::initializer_list<QColor> backgrounds, double minimum)
{
    if (backgrounds.size() == 0 || weakestContrast(color, backgrounds) >= minimum)
        return color;
    // Judged by the first background: the one text is mostly drawn on.
    const bool lighten = isDarkBackground(*backgrounds.begin());
    QColor best = color;
    const QColor hsl = color.toHsl();
    constexpr int kSteps = 50;
    for (int step = 1; step <= kSteps; ++step) {
        const double start = hsl.lightnessF();
        const double target = lighten ? 1.0 : 0.0;
        const auto lightness = static_cast<float>(start + (target - start) * step / kSteps);
        const QColor candidate =
            QColor::fromHslF(hsl.hslHueF(), hsl.hslSaturationF(), lightness).toRgb();
        best = candidate;
        if (weakestContrast(candidate, backgrounds) >= minimum)
            break;
    }
    return best;
}

} // namespace breakwater
