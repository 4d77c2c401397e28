#include "theme/contrast.h"
#include "theme/palettes.h"
#include "theme/statuscolors.h"
#include "theme/theme.h"

#include <QApplication>
#include <QStyle>
#include <QTest>

namespace breakwater {

namespace {

QString describe(const QColor& foreground, const QColor& background)
{
    return QStringLiteral("%1 on %2: %3:1")
        .arg(foreground.name(), background.name())
        .arg(contrastRatio(foreground, background), 0, 'f', 2);
}

// The backgrounds status colours are drawn on as text.
QList<QColor> textBackgrounds(const QPalette& palette)
{
    return {palette.color(QPalette::Base), palette.color(QPalette::Window),
            palette.color(QPalette::AlternateBase)};
}

// A status colour must read as text on the palette's backgrounds, and as a badge's background
// under textColorOn().
void checkStatusColor(const QColor& color, const QPalette& palette)
{
    for (const QColor& background : textBackgrounds(palette))
        QVERIFY2(contrastRatio(color, background) >= kMinimumTextContrast,
                 qPrintable(describe(color, background)));
    const QColor text = textColorOn(color);
    QVERIFY2(contrastRatio(text, color) >= kMinimumTextContrast, qPrintable(describe(text, color)));
}

void addPaletteRows()
{
    QTest::addColumn<QPalette>("palette");
    QTest::addRow("light") << lightPalette();
    QTest::addRow("dark") << darkPalette();
}

} // namespace

class ThemeTest final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void contrastRatioMatchesWcag();
    void textColorOnPicksTheReadableOne();
    void textRolesReadOnTheirBackgrounds_data();
    void textRolesReadOnTheirBackgrounds();
    void everyRoleIsSetInEveryGroup_data();
    void everyRoleIsSetInEveryGroup();
    void breakerStateColorsRead_data();
    void breakerStateColorsRead();
    void eventLevelColorsRead_data();
    void eventLevelColorsRead();
    void alertSeverityColorsRead_data();
    void alertSeverityColorsRead();
    void breakerStatesHaveDistinctColors_data();
    void breakerStatesHaveDistinctColors();
    void foreignPalettesAreStillReadable();
    void namesRoundTrip();
    void unknownNamesAreRefused();
    void applyThemeSetsFusionAndThePalette();
};

void ThemeTest::contrastRatioMatchesWcag()
{
    QCOMPARE(contrastRatio(QColor(Qt::black), QColor(Qt::white)), 21.0);
    QCOMPARE(contrastRatio(QColor(Qt::white), QColor(Qt::black)), 21.0);
    QCOMPARE(contrastRatio(QColor(0x77, 0x77, 0x77), QColor(0x77, 0x77, 0x77)), 1.0);
    // #767676 on white is the well-known lightest grey that passes AA: 4.54:1.
    QVERIFY(qAbs(contrastRatio(QColor(0x76, 0x76, 0x76), QColor(Qt::white)) - 4.54) < 0.01);
    QVERIFY(contrastRatio(QColor(0x77, 0x77, 0x77), QColor(Qt::white)) < kMinimumTextContrast);
    QVERIFY(qAbs(relativeLuminance(QColor(Qt::white)) - 1.0) < 1e-12);
    QCOMPARE(relativeLuminance(QColor(Qt::black)), 0.0);
}

void ThemeTest::textColorOnPicksTheReadableOne()
{
    QCOMPARE(textColorOn(QColor(Qt::white)), QColor(Qt::black));
    QCOMPARE(textColorOn(QColor(Qt::black)), QColor(Qt::white));
    QCOMPARE(textColorOn(QColor(0xff, 0xeb, 0x3b)), QColor(Qt::black)); // yellow
    QCOMPARE(textColorOn(QColor(0x0d, 0x47, 0xa1)), QColor(Qt::white)); // navy
}

void ThemeTest::textRolesReadOnTheirBackgrounds_data()
{
    QTest::addColumn<QPalette>("palette");
    QTest::addColumn<int>("group");
    QTest::addColumn<int>("foreground");
    QTest::addColumn<int>("background");
    const std::pair<QPalette::ColorRole, QPalette::ColorRole> pairs[] = {
        {QPalette::WindowText, QPalette::Window},
        {QPalette::Text, QPalette::Base},
        {QPalette::Text, QPalette::AlternateBase},
        {QPalette::ButtonText, QPalette::Button},
        {QPalette::HighlightedText, QPalette::Highlight},
        {QPalette::ToolTipText, QPalette::ToolTipBase},
        {QPalette::PlaceholderText, QPalette::Base},
        {QPalette::Link, QPalette::Base},
        {QPalette::Link, QPalette::Window},
        {QPalette::LinkVisited, QPalette::Base},
    };
    const std::pair<const char*, QPalette> palettes[] = {{"light", lightPalette()},
                                                         {"dark", darkPalette()}};
    const std::pair<const char*, QPalette::ColorGroup> groups[] = {
        {"active", QPalette::Active}, {"inactive", QPalette::Inactive}};
    for (const auto& [paletteName, palette] : palettes) {
        for (const auto& [groupName, group] : groups) {
            for (const auto& [foreground, background] : pairs)
                QTest::addRow("%s %s %d on %d", paletteName, groupName, int(foreground),
                              int(background))
                    << palette << int(group) << int(foreground) << int(background);
        }
    }
}

void ThemeTest::textRolesReadOnTheirBackgrounds()
{
    QFETCH(QPalette, palette);
    QFETCH(int, group);
    QFETCH(int, foreground);
    QFETCH(int, background);
    const auto colorGroup = static_cast<QPalette::ColorGroup>(group);
    const QColor text = palette.color(colorGroup, static_cast<QPalette::ColorRole>(foreground));
    const QColor back = palette.color(colorGroup, static_cast<QPalette::ColorRole>(background));
    QVERIFY2(contrastRatio(text, back) >= kMinimumTextContrast, qPrintable(describe(text, back)));
}

void ThemeTest::everyRoleIsSetInEveryGroup_data()
{
    addPaletteRows();
}

void ThemeTest::everyRoleIsSetInEveryGroup()
{
    QFETCH(QPalette, palette);
    for (const QPalette::ColorGroup group :
         {QPalette::Active, QPalette::Inactive, QPalette::Disabled}) {
        for (int role = 0; role < QPalette::NColorRoles; ++role) {
            const auto colorRole = static_cast<QPalette::ColorRole>(role);
            QVERIFY2(palette.isBrushSet(group, colorRole),
                     qPrintable(QStringLiteral("group %1 role %2").arg(group).arg(role)));
        }
    }
    // Disabled text is told apart from enabled text.
    QVERIFY(palette.color(QPalette::Disabled, QPalette::Text) !=
            palette.color(QPalette::Active, QPalette::Text));
    QVERIFY(palette.color(QPalette::Disabled, QPalette::ButtonText) !=
            palette.color(QPalette::Active, QPalette::ButtonText));
}

void ThemeTest::breakerStateColorsRead_data()
{
    addPaletteRows();
}

void ThemeTest::breakerStateColorsRead()
{
    QFETCH(QPalette, palette);
    for (const BreakerState state :
         {BreakerState::Closed, BreakerState::Open, BreakerState::HalfOpen,
          BreakerState::ForcedOpen, BreakerState::Disabled}) {
        checkStatusColor(breakerStateColor(state, palette), palette);
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(breakerStateName(state)));
    }
}

void ThemeTest::eventLevelColorsRead_data()
{
    addPaletteRows();
}

void ThemeTest::eventLevelColorsRead()
{
    QFETCH(QPalette, palette);
    for (const EventLevel level : {EventLevel::Debug, EventLevel::Info, EventLevel::Warning,
                                   EventLevel::Error, EventLevel::Critical}) {
        checkStatusColor(eventLevelColor(level, palette), palette);
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(eventLevelName(level)));
    }
}

void ThemeTest::alertSeverityColorsRead_data()
{
    addPaletteRows();
}

void ThemeTest::alertSeverityColorsRead()
{
    QFETCH(QPalette, palette);
    for (const AlertSeverity severity :
         {AlertSeverity::Info, AlertSeverity::Warning, AlertSeverity::Critical}) {
        checkStatusColor(alertSeverityColor(severity, palette), palette);
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(alertSeverityName(severity)));
    }
}

void ThemeTest::breakerStatesHaveDistinctColors_data()
{
    addPaletteRows();
}

void ThemeTest::breakerStatesHaveDistinctColors()
{
    QFETCH(QPalette, palette);
    QSet<QRgb> colors;
    for (const BreakerState state :
         {BreakerState::Closed, BreakerState::Open, BreakerState::HalfOpen,
          BreakerState::ForcedOpen, BreakerState::Disabled})
        colors.insert(breakerStateColor(state, palette).rgb());
    QCOMPARE(colors.size(), 5);
}

// Under Theme::System the platform's palette may be anything: a mid-dark grey, say, on which
// neither shade of a hue reads until it is nudged.
void ThemeTest::foreignPalettesAreStillReadable()
{
    for (const QColor& base : {QColor(0x40, 0x40, 0x48), QColor(0xd0, 0xd8, 0xe0),
                               QColor(0x00, 0x2b, 0x36), QColor(0xfd, 0xf6, 0xe3)}) {
        QPalette palette;
        palette.setColor(QPalette::Base, base);
        palette.setColor(QPalette::Window, base);
        palette.setColor(QPalette::AlternateBase, base);
        checkStatusColor(breakerStateColor(BreakerState::Open, palette), palette);
        checkStatusColor(eventLevelColor(EventLevel::Warning, palette), palette);
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(base.name()));
    }
}

void ThemeTest::namesRoundTrip()
{
    for (const Theme theme : {Theme::System, Theme::Light, Theme::Dark}) {
        QCOMPARE(themeFromName(themeName(theme)), theme);
        QCOMPARE(themeFromName(themeName(theme).toUpper()), theme);
    }
    QCOMPARE(themeName(Theme::Dark), QStringLiteral("dark"));
    QCOMPARE(themeName(Theme::Light), QStringLiteral("light"));
    QCOMPARE(themeName(Theme::System), QStringLiteral("system"));
}

void ThemeTest::unknownNamesAreRefused()
{
    QCOMPARE(themeFromName(u""), std::nullopt);
    QCOMPARE(themeFromName(u"solarized"), std::nullopt);
    QCOMPARE(themeFromName(u"darker"), std::nullopt);
}

void ThemeTest::applyThemeSetsFusionAndThePalette()
{
    auto* application = qApp;
    QCOMPARE(currentTheme(), Theme::System);
    applyTheme(*application, Theme::Dark);
    QCOMPARE(currentTheme(), Theme::Dark);
    QCOMPARE(QApplication::style()->name(), QStringLiteral("fusion"));
    QCOMPARE(QApplication::palette().color(QPalette::Base), darkPalette().color(QPalette::Base));
    QCOMPARE(QApplication::palette().color(QPalette::Disabled, QPalette::Text),
             darkPalette().color(QPalette::Disabled, QPalette::Text));

    applyTheme(*application, Theme::Light);
    QCOMPARE(currentTheme(), Theme::Light);
    QCOMPARE(QApplication::palette().color(QPalette::Window),
             lightPalette().color(QPalette::Window));

    applyTheme(*application, Theme::Dark);
    applyTheme(*application, Theme::System);
    QCOMPARE(currentTheme(), Theme::System);
    QCOMPARE(QApplication::style()->name(), QStringLiteral("fusion"));
    QVERIFY(QApplication::palette().color(QPalette::Base) != darkPalette().color(QPalette::Base));
}

} // namespace breakwater

QTEST_MAIN(breakwater::ThemeTest)
#include "tst_theme.moc"
