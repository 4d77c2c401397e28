#pragma once

#include <QApplication>
#include <QString>
#include <QStringView>

#include <optional>

namespace breakwater {

// System: the platform's own palette. Light and Dark: the dashboard's palettes (palettes.h).
enum class Theme : quint8
{
    System,
    Light,
    Dark
};

// "system", "light", "dark": stable, for QSettings and the command line.
QString themeName(Theme theme);
// "System", "Light", "Dark": as the View > Theme menu shows them.
QString themeTitle(Theme theme);
// Reads the names above, in any letter case.
std::optional<Theme> themeFromName(QStringView name);

// Sets the Fusion style (the same look on every platform, and one that honours a full palette)
// and the theme's palette on the whole application. GUI thread.
void applyTheme(QApplication& application, Theme theme);

// The theme last applied to the running application; System before any was.
Theme currentTheme();

} // namespace breakwater
