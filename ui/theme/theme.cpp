#include "theme.h"

#include "palettes.h"

#include <QStyle>
#include <QVariant>

#include <array>

namespace breakwater {

namespace {

// Kept on the application object so it lives and dies with it.
constexpr const char* kThemeProperty = "breakwaterTheme";

constexpr std::array kThemes = {Theme::System, Theme::Light, Theme::Dark};

} // namespace

QString themeName(Theme theme)
{
    switch (theme) {
    case Theme::System:
        return QStringLiteral("system");
    case Theme::Light:
        return QStringLiteral("light");
    case Theme::Dark:
        return QStringLiteral("dark");
    }
    return QStringLiteral("system");
}

QString themeTitle(Theme theme)
{
    switch (theme) {
    case Theme::System:
        return QCoreApplication::translate("Theme", "System");
    case Theme::Light:
        return QCoreApplication::translate("Theme", "Light");
    case Theme::Dark:
        return QCoreApplication::translate("Theme", "Dark");
    }
    return QCoreApplication::translate("Theme", "System");
}

std::optional<Theme> themeFromName(QStringView name)
{
    const QStringView trimmed = name.trimmed();
    for (const Theme theme : kThemes) {
        if (trimmed.compare(themeName(theme), Qt::CaseInsensitive) == 0)
            return theme;
    }
    return std::nullopt;
}

void applyTheme(QApplication& application, Theme theme)
{
    // Setting a style re-polishes every widget: skip it when Fusion is already in place.
    if (application.style()->name().compare(QLatin1StringView("fusion"), Qt::CaseInsensitive) != 0)
        QApplication::setStyle(QStringLiteral("Fusion"));
    switch (theme) {
    case Theme::System:
        // A palette with no role set resolves every role against the platform's palette.
        QApplication::setPalette(QPalette());
        break;
    case Theme::Light:
        QApplication::setPalette(lightPalette());
        break;
    case Theme::Dark:
        QApplication::setPalette(darkPalette());
        break;
    }
    application.setProperty(kThemeProperty, QVariant::fromValue(static_cast<int>(theme)));
}

Theme currentTheme()
{
    const QCoreApplication* application = QCoreApplication::instance();
    if (!application)
        return Theme::System;
    bool ok = false;
    const int value = application->property(kThemeProperty).toInt(&ok);
    if (!ok || value < 0 || value >= static_cast<int>(kThemes.size()))
        return Theme::System;
    return kThemes[static_cast<std::size_t>(value)];
}

} // namespace breakwater
