#include "alerts/alertrules.h"
#include "alerts/silence.h"
#include "alerttesthelpers.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace breakwater;
using namespace breakwater::alerttest;

namespace {

const QString kAny = QStringLiteral("*");
const QString kOther = QStringLiteral("other_tts");

// The moment every silence in these tests is parsed at.
const WallTime kNow = wallAt(10h);

WallTime isoTime(const char* text)
{
    const QDateTime at = QDateTime::fromString(QString::fromLatin1(text), Qt::ISODateWithMs);
    Q_ASSERT(at.isValid());
    return WallTime(std::chrono::milliseconds(at.toMSecsSinceEpoch()));
}

} // namespace

class TestSilence : public QObject
{
    Q_OBJECT

private slots:
    void parsesWhatTheHeaderPromises_data();
    void parsesWhatTheHeaderPromises();
    void rejectsMistakesWithAReason_data();
    void rejectsMistakesWithAReason();
    void hugeDurationsNeverEndInThePast_data();
    void hugeDurationsNeverEndInThePast();
    void farPastNeverWrapsIntoTheFuture();
    void errorMayBeLeftOut();
    void matchesByRuleAndService_data();
    void matchesByRuleAndService();
    void endsAtItsTime();
    void describeReadsBack_data();
    void describeReadsBack();
    void listSilencesAddsAndRemoves();
    void listActiveDropsEnded();
};

void TestSilence::parsesWhatTheHeaderPromises_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("service");
    QTest::addColumn<std::optional<WallTime>>("until");
    const std::optional<WallTime> endless;
    const QString open = alertrule::kBreakerOpen;
    QTest::addRow("rule only") << QStringLiteral("breaker_flapping") << alertrule::kBreakerFlapping
                               << kAny << endless;
    QTest::addRow("rule and service")
        << QStringLiteral("breaker_open/elevenlabs") << open << kElevenLabs << endless;
    QTest::addRow("every rule of a service for 2h")
        << QStringLiteral("*/elevenlabs for 2h") << kAny << kElevenLabs << std::optional(kNow + 2h);
    QTest::addRow("until, UTC") << QStringLiteral(
                                       "breaker_open/elevenlabs until 2026-12-31T08:00:00Z")
                                << open << kElevenLabs
                                << std::optional(isoTime("2026-12-31T08:00:00Z"));
    QTest::addRow("until, with milliseconds")
        << QStringLiteral("breaker_open until 2026-12-31T08:00:00.250Z") << open << kAny
        << std::optional(isoTime("2026-12-31T08:00:00Z") + 250ms);
    QTest::addRow("until, with an offset")
        << QStringLiteral("breaker_open until 2026-12-31T10:00:00+02:00") << open << kAny
        << std::optional(isoTime("2026-12-31T08:00:00Z"));
    QTest::addRow("ms") << QStringLiteral("breaker_open for 1500ms") << open << kAny
                        << std::optional(kNow + 1500ms);
    QTest::addRow("s") << QStringLiteral("breaker_open for 90s") << open << kAny
                       << std::optional(kNow + 90s);
    QTest::addRow("min") << QStringLiteral("breaker_open for 30min") << open << kAny
                         << std::optional(kNow + 30min);
    QTest::addRow("m") << QStringLiteral("breaker_open for 45m") << open << kAny
                       << std::optional(kNow + 45min);
    QTest::addRow("h") << QStringLiteral("breaker_open for 12h") << open << kAny
                       << std::optional(kNow + 12h);
    QTest::addRow("d") << QStringLiteral("breaker_open for 7d") << open << kAny
                       << std::optional(kNow + 7 * 24h);
    QTest::addRow("extra spaces") << QStringLiteral("  breaker_open   for   2h  ") << open << kAny
                                  << std::optional(kNow + 2h);
    QTest::addRow("every rule, every service") << QStringLiteral("*/*") << kAny << kAny << endless;
    QTest::addRow("names with dots and dashes")
        << QStringLiteral("my.rule-1/tts_eu-west.2") << QStringLiteral("my.rule-1")
        << QStringLiteral("tts_eu-west.2") << endless;
}

void TestSilence::parsesWhatTheHeaderPromises()
{
    QFETCH(QString, text);
    QFETCH(QString, rule);
    QFETCH(QString, service);
    QFETCH(std::optional<WallTime>, until);
    QString error = QStringLiteral("untouched");
    const std::optional<Silence> silence = parseSilence(text, kNow, &error);
    QVERIFY2(silence.has_value(), qPrintable(error));
    QCOMPARE(silence->rule, rule);
    QCOMPARE(silence->service, service);
    QCOMPARE(silence->until.has_value(), until.has_value());
    if (until)
        QCOMPARE(*silence->until, *until);
}

void TestSilence::rejectsMistakesWithAReason_data()
{
    QTest::addColumn<QString>("text");
    QTest::addRow("empty") << QString();
    QTest::addRow("blank") << QStringLiteral("   ");
    QTest::addRow("two words") << QStringLiteral("breaker open");
    QTest::addRow("for without a duration") << QStringLiteral("breaker_open for");
    QTest::addRow("number without a unit") << QStringLiteral("breaker_open for 2");
    QTest::addRow("unit apart") << QStringLiteral("breaker_open for 2 h");
    QTest::addRow("unknown unit") << QStringLiteral("breaker_open for 2w");
    QTest::addRow("zero") << QStringLiteral("breaker_open for 0s");
    QTest::addRow("negative") << QStringLiteral("breaker_open for -1h");
    QTest::addRow("fraction") << QStringLiteral("breaker_open for 1.5h");
    QTest::addRow("upper-case unit") << QStringLiteral("breaker_open for 2H");
    QTest::addRow("until without a zone")
        << QStringLiteral("breaker_open until 2026-12-31T08:00:00");
    QTest::addRow("until a word") << QStringLiteral("breaker_open until tomorrow");
    QTest::addRow("until a bare time") << QStringLiteral("breaker_open until 10:04");
    QTest::addRow("another keyword") << QStringLiteral("breaker_open during 2h");
    QTest::addRow("both") << QStringLiteral("breaker_open for 2h until 2026-12-31T08:00:00Z");
    QTest::addRow("bad rule character") << QStringLiteral("breaker!open");
    QTest::addRow("empty rule") << QStringLiteral("/elevenlabs");
    QTest::addRow("empty service") << QStringLiteral("breaker_open/");
    QTest::addRow("two slashes") << QStringLiteral("breaker_open/eleven/labs");
    QTest::addRow("name too long") << QString(129, QLatin1Char('a'));
    QTest::addRow("non-ASCII name") << QStringLiteral("breaker_öpen");
}

void TestSilence::rejectsMistakesWithAReason()
{
    QFETCH(QString, text);
    QString error;
    const std::optional<Silence> silence = parseSilence(text, kNow, &error);
    QVERIFY2(!silence.has_value(), qPrintable(describeSilence(silence.value_or(Silence{}))));
    QVERIFY(!error.isEmpty());
}

// However far off the end, a silence must not wrap around into the past and end at once (nor
// overflow: WallTime counts nanoseconds, which run out in 2262). Either it is refused or it ends
// in the future.
void TestSilence::hugeDurationsNeverEndInThePast_data()
{
    QTest::addColumn<QString>("text");
    QTest::addRow("999999999d") << QStringLiteral("breaker_open for 999999999d");
    QTest::addRow("999999999h") << QStringLiteral("breaker_open for 999999999h");
    QTest::addRow("999999999min") << QStringLiteral("breaker_open for 999999999min");
    QTest::addRow("200000d") << QStringLiteral("breaker_open for 200000d");
    QTest::addRow("until 2300") << QStringLiteral("breaker_open until 2300-01-01T00:00:00Z");
    QTest::addRow("until 9999") << QStringLiteral("breaker_open until 9999-12-31T23:59:59Z");
}

void TestSilence::hugeDurationsNeverEndInThePast()
{
    QFETCH(QString, text);
    QString error;
    const std::optional<Silence> silence = parseSilence(text, kNow, &error);
    if (!silence) {
        QVERIFY(!error.isEmpty());
        return;
    }
    QVERIFY(silence->until.has_value());
    QVERIFY2(*silence->until > kNow + 100 * 24h, qPrintable(describeSilence(*silence)));
    const Alert open = firingAlert(alertrule::kBreakerOpen);
    QVERIFY(silence->matches(open, kNow + 24h));
}

void TestSilence::farPastNeverWrapsIntoTheFuture()
{
    QString error;
    for (const char16_t* text : {u"* until 1000-01-01T00:00:00Z", u"* until 1600-01-01T00:00:00Z",
                                 u"* until 2020-01-01T00:00:00Z"}) {
        const std::optional<Silence> silence = parseSilence(text, kNow, &error);
        // Refused, or a silence that is over already: never one that mutes from now on.
        if (silence)
            QVERIFY2(silence->hasEnded(kNow), qPrintable(describeSilence(*silence)));
        else
            QVERIFY(!error.isEmpty());
    }
}

void TestSilence::errorMayBeLeftOut()
{
    QVERIFY(!parseSilence(u"breaker_open for soon", kNow, nullptr));
    QVERIFY(parseSilence(u"breaker_open for 1h", kNow, nullptr));
}

void TestSilence::matchesByRuleAndService_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("service");
    QTest::addColumn<QString>("alertRule");
    QTest::addColumn<QString>("alertService");
    QTest::addColumn<bool>("matches");
    const QString open = alertrule::kBreakerOpen;
    const QString stuck = alertrule::kBreakerStuck;
    QTest::addRow("everything") << kAny << kAny << open << kElevenLabs << true;
    QTest::addRow("rule, any service") << open << kAny << open << kOther << true;
    QTest::addRow("other rule, any service") << open << kAny << stuck << kElevenLabs << false;
    QTest::addRow("any rule, service") << kAny << kElevenLabs << stuck << kElevenLabs << true;
    QTest::addRow("any rule, other service") << kAny << kElevenLabs << stuck << kOther << false;
    QTest::addRow("both") << open << kElevenLabs << open << kElevenLabs << true;
    QTest::addRow("both, other rule") << open << kElevenLabs << stuck << kElevenLabs << false;
    QTest::addRow("both, other service") << open << kElevenLabs << open << kOther << false;
    QTest::addRow("no prefix matching")
        << QStringLiteral("breaker") << kAny << open << kElevenLabs << false;
    QTest::addRow("case matters") << QStringLiteral("BREAKER_OPEN") << kAny << open << kElevenLabs
                                  << false;
}

void TestSilence::matchesByRuleAndService()
{
    QFETCH(QString, rule);
    QFETCH(QString, service);
    QFETCH(QString, alertRule);
    QFETCH(QString, alertService);
    QFETCH(bool, matches);
    const Silence silence{rule, service, std::nullopt};
    const Alert alert = firingAlert(alertRule, alertService);
    QCOMPARE(silence.matches(alert, kNow), matches);
    // Resolved alerts are muted alike.
    QCOMPARE(silence.matches(resolvedCopy(alert, kNow), kNow), matches);
    SilenceList list;
    list.add(silence);
    QCOMPARE(list.silences(alert, kNow), matches);
}

void TestSilence::endsAtItsTime()
{
    const std::optional<Silence> silence = parseSilence(u"*/elevenlabs for 30min", kNow, nullptr);
    QVERIFY(silence);
    const Alert alert = firingAlert(alertrule::kBreakerOpen);
    QVERIFY(!silence->hasEnded(kNow));
    QVERIFY(silence->matches(alert, kNow + 30min - 1ms));
    QVERIFY(silence->hasEnded(kNow + 30min));
    QVERIFY(!silence->matches(alert, kNow + 30min));
    QVERIFY(!silence->matches(alert, kNow + 1h));

    const Silence endless{kAny, kAny, std::nullopt};
    QVERIFY(!endless.hasEnded(kNow + 24h * 3650));
    QVERIFY(endless.matches(alert, kNow + 24h * 3650));
}

void TestSilence::describeReadsBack_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("description");
    QTest::addRow("rule") << QStringLiteral("breaker_flapping")
                          << QStringLiteral("breaker_flapping");
    QTest::addRow("rule and service")
        << QStringLiteral("breaker_open/elevenlabs") << QStringLiteral("breaker_open/elevenlabs");
    QTest::addRow("service") << QStringLiteral("*/elevenlabs") << QStringLiteral("*/elevenlabs");
    QTest::addRow("until") << QStringLiteral(
                                  "breaker_open/elevenlabs until 2026-12-31T10:00:00+02:00")
                           << QStringLiteral("breaker_open/elevenlabs until 2026-12-31T08:00:00Z");
    QTest::addRow("for") << QStringLiteral("*/elevenlabs for 2h")
                         << QStringLiteral("*/elevenlabs until 2026-01-01T12:00:00Z");
}

void TestSilence::describeReadsBack()
{
    QFETCH(QString, text);
    QFETCH(QString, description);
    const std::optional<Silence> silence = parseSilence(text, kNow, nullptr);
    QVERIFY(silence);
    QCOMPARE(describeSilence(*silence), description);
    // What it says parses back to the same silence.
    QString error;
    const std::optional<Silence> again = parseSilence(description, kNow + 1h, &error);
    QVERIFY2(again, qPrintable(error));
    QCOMPARE(again->rule, silence->rule);
    QCOMPARE(again->service, silence->service);
    QCOMPARE(again->until, silence->until);
}

void TestSilence::listSilencesAddsAndRemoves()
{
    SilenceList list;
    const Alert open = firingAlert(alertrule::kBreakerOpen);
    const Alert openElsewhere = firingAlert(alertrule::kBreakerOpen, kOther);
    const Alert stuck = firingAlert(alertrule::kBreakerStuck);
    QVERIFY(!list.silences(open, kNow));

    list.add(Silence{alertrule::kBreakerOpen, kElevenLabs, std::nullopt});
    list.add(Silence{kAny, kOther, kNow + 1h});
    QVERIFY(list.silences(open, kNow));
    QVERIFY(list.silences(openElsewhere, kNow));
    QVERIFY(!list.silences(stuck, kNow));
    QVERIFY(!list.silences(openElsewhere, kNow + 1h));

    // Removal takes the exact rule and service, not whatever matches.
    list.remove(kAny, kAny);
    list.remove(alertrule::kBreakerOpen, kAny);
    QVERIFY(list.silences(open, kNow));
    list.remove(alertrule::kBreakerOpen, kElevenLabs);
    QVERIFY(!list.silences(open, kNow));
    QVERIFY(list.silences(openElsewhere, kNow));

    // Every silence of that rule and service goes, however many were added.
    list.add(Silence{kAny, kElevenLabs, kNow + 1h});
    list.add(Silence{kAny, kElevenLabs, kNow + 2h});
    list.remove(kAny, kElevenLabs);
    QVERIFY(!list.silences(stuck, kNow));
    QCOMPARE(list.active(kNow).size(), std::size_t(1));
}

void TestSilence::listActiveDropsEnded()
{
    SilenceList list;
    QVERIFY(list.active(kNow).empty());
    list.add(Silence{kAny, kElevenLabs, kNow + 1h});
    list.add(Silence{alertrule::kBreakerOpen, kAny, kNow + 2h});
    list.add(Silence{alertrule::kBreakerStuck, kAny, std::nullopt});
    QCOMPARE(list.active(kNow).size(), std::size_t(3));
    QCOMPARE(list.active(kNow + 1h).size(), std::size_t(2));
    const std::vector<Silence> later = list.active(kNow + 5h);
    QCOMPARE(later.size(), std::size_t(1));
    QCOMPARE(later.front().rule, alertrule::kBreakerStuck);
}

QTEST_APPLESS_MAIN(TestSilence)
#include "tst_silence.moc"
