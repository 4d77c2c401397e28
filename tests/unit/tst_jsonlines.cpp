#include "jsonloghelpers.h"
#include "telemetry/jsonlinesformatter.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QStringDecoder>
#include <QTest>

#include <cmath>
#include <limits>

using namespace breakwater;
using namespace std::chrono;

Q_DECLARE_METATYPE(breakwater::Event)

// Declared before any raw string literal: moc 6.4 loses its way in those holding quotes.
class TestJsonLines final : public QObject
{
    Q_OBJECT

private slots:
    void formatsEveryField_data();
    void formatsEveryField();
    void formatsLatencyWithoutExponent_data();
    void formatsLatencyWithoutExponent();
    void formatsTheLargestLatencyInFull();
    void escapesHostileStrings_data();
    void escapesHostileStrings();
    void timestampsAcrossSecondAndDayBoundaries();
    void timestampsMatchQDateTime();
    void roundTripsRandomEvents();
    void parserRejectsMalformedLines_data();
    void parserRejectsMalformedLines();
    void parserIgnoresUnknownFieldsAndLineEndings();
};

namespace {

WallTime utc(int year, unsigned month, unsigned day, int hour, int minute, int second, int ms)
{
    return WallTime(sys_days(year_month_day{std::chrono::year(year), std::chrono::month(month),
                                            std::chrono::day(day)}) +
                    hours(hour) + minutes(minute) + seconds(second) + milliseconds(ms));
}

const WallTime kTime = utc(2026, 11, 28, 15, 4, 5, 123);

Event baseEvent(EventType type = EventType::CallStarted, EventLevel level = EventLevel::Info)
{
    Event event;
    event.sequence = 1;
    event.time = kTime;
    event.type = type;
    event.level = level;
    return event;
}

// The line with the fields every line has around `middle`.
QByteArray line(const QByteArray& level, const QByteArray& type, const QByteArray& middle,
                const QByteArray& seq = "1")
{
    return R"({"ts":"2026-11-28T15:04:05.123Z","level":")" + level + R"(","event":")" + type + '"' +
           middle + R"(,"seq":)" + seq + "}\n";
}

QString utf16(std::initializer_list<char16_t> units)
{
    return QString(reinterpret_cast<const QChar*>(std::data(units)), qsizetype(units.size()));
}

bool isValidUtf8(const QByteArray& bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder(bytes);
    return !decoder.hasError();
}

} // namespace

void TestJsonLines::formatsEveryField_data()
{
    QTest::addColumn<Event>("event");
    QTest::addColumn<QByteArray>("expected");

    QTest::addRow("minimal") << baseEvent() << line("info", "call_started", "");

    Event all = baseEvent(EventType::AttemptFailed, EventLevel::Warning);
    all.sequence = 42;
    all.service = QStringLiteral("elevenlabs");
    all.callId = 42;
    all.attempt = 2;
    all.state = BreakerState::HalfOpen;
    all.fromState = BreakerState::Closed;
    all.toState = BreakerState::Open;
    all.reason = QStringLiteral("failure_rate");
    all.latencyMs = 812.25;
    all.delayMs = 400;
    all.errorKind = ErrorKind::Transient;
    all.httpStatus = 503;
    all.errorCode = QStringLiteral("system_busy");
    all.message = QStringLiteral("Service Unavailable");
    QTest::addRow("every field, in contract order")
        << all
        << line("warning", "attempt_failed",
                R"(,"service":"elevenlabs","call_id":"call-42","attempt":2,"state":"half_open",)"
                R"("from_state":"closed","to_state":"open","reason":"failure_rate",)"
                R"("latency_ms":812.25,"delay_ms":400,"error_kind":"transient","http_status":503,)"
                R"("error_code":"system_busy","message":"Service Unavailable")",
                "42");

    Event transition = baseEvent(EventType::BreakerTransition, EventLevel::Warning);
    transition.service = QStringLiteral("elevenlabs");
    transition.state = BreakerState::Open;
    transition.fromState = BreakerState::Closed;
    transition.toState = BreakerState::Open;
    transition.reason = transitionReasonName(TransitionReason::ConsecutiveFailures);
    QTest::addRow("breaker_transition")
        << transition
        << line("warning", "breaker_transition",
                R"(,"service":"elevenlabs","state":"open","from_state":"closed",)"
                R"("to_state":"open","reason":"consecutive_failures")");

    Event retry = baseEvent(EventType::RetryScheduled);
    retry.callId = 7;
    retry.attempt = 1;
    retry.delayMs = 250;
    QTest::addRow("retry_scheduled")
        << retry
        << line("info", "retry_scheduled", R"(,"call_id":"call-7","attempt":1,"delay_ms":250)");

    Event quota = baseEvent(EventType::CallFailed, EventLevel::Error);
    ServiceError error = ServiceError::permanent(QStringLiteral("This request exceeds your quota"));
    error.httpStatus = 401;
    error.vendorCode = QStringLiteral("quota_exceeded");
    quota.setError(error);
    QTest::addRow("an error through setError")
        << quota
        << line("error", "call_failed",
                R"(,"error_kind":"permanent","http_status":401,"error_code":"quota_exceeded",)"
                R"("message":"This request exceeds your quota")");

    Event extremes = baseEvent();
    extremes.sequence = std::numeric_limits<qint64>::max();
    extremes.callId = std::numeric_limits<std::uint64_t>::max();
    extremes.attempt = std::numeric_limits<int>::min();
    extremes.delayMs = std::numeric_limits<std::int64_t>::min();
    extremes.httpStatus = -1;
    QTest::addRow("integer extremes")
        << extremes
        << line("info", "call_started",
                R"(,"call_id":"call-18446744073709551615","attempt":-2147483648,)"
                R"("delay_ms":-9223372036854775808,"http_status":-1)",
                "9223372036854775807");

    for (int i = 0; i < kEventTypeCount; ++i) {
        const auto type = EventType(i);
        QTest::addRow("event %s", qPrintable(eventTypeName(type)))
            << baseEvent(type) << line("info", eventTypeName(type).toLatin1(), "");
    }
    for (int i = 0; i <= int(EventLevel::Critical); ++i) {
        const auto level = EventLevel(i);
        QTest::addRow("level %s", qPrintable(eventLevelName(level)))
            << baseEvent(EventType::CallStarted, level)
            << line(eventLevelName(level).toLatin1(), "call_started", "");
    }
    for (int i = 0; i <= int(BreakerState::Disabled); ++i) {
        Event event = baseEvent();
        event.state = BreakerState(i);
        QTest::addRow("state %s", qPrintable(breakerStateName(*event.state)))
            << event
            << line("info", "call_started",
                    R"(,"state":")" + breakerStateName(*event.state).toLatin1() + '"');
    }
    for (int i = 0; i <= int(ErrorKind::Cancelled); ++i) {
        Event event = baseEvent();
        event.errorKind = ErrorKind(i);
        QTest::addRow("error kind %s", qPrintable(errorKindName(*event.errorKind)))
            << event
            << line("info", "call_started",
                    R"(,"error_kind":")" + errorKindName(*event.errorKind).toLatin1() + '"');
    }
}

void TestJsonLines::formatsEveryField()
{
    QFETCH(Event, event);
    QFETCH(QByteArray, expected);
    JsonLinesFormatter formatter;
    const QByteArray formatted = formatter.format(event);
    QCOMPARE(formatted, expected);
    QVERIFY(formatted.size() <= JsonLinesFormatter::maxLineSize(event));

    std::string asStdString = "earlier line\n";
    formatter.append(event, asStdString);
    QCOMPARE(QByteArray::fromStdString(asStdString), "earlier line\n" + expected);
}

void TestJsonLines::formatsLatencyWithoutExponent_data()
{
    QTest::addColumn<double>("latency");
    QTest::addColumn<QByteArray>("expected"); // empty: the field is left out

    const double inf = std::numeric_limits<double>::infinity();
    QTest::addRow("zero") << 0.0 << QByteArray(R"("latency_ms":0)");
    QTest::addRow("whole") << 250.0 << QByteArray(R"("latency_ms":250)");
    QTest::addRow("one decimal") << 12.5 << QByteArray(R"("latency_ms":12.5)");
    QTest::addRow("three decimals") << 0.125 << QByteArray(R"("latency_ms":0.125)");
    QTest::addRow("rounded to three") << 12.3456 << QByteArray(R"("latency_ms":12.346)");
    QTest::addRow("rounds up into the integer") << 999.9996 << QByteArray(R"("latency_ms":1000)");
    QTest::addRow("below resolution") << 1e-7 << QByteArray(R"("latency_ms":0)");
    QTest::addRow("tiny negative is zero") << -1e-7 << QByteArray(R"("latency_ms":0)");
    QTest::addRow("negative") << -2.25 << QByteArray(R"("latency_ms":-2.25)");
    QTest::addRow("large, no exponent")
        << 1e20 << QByteArray(R"("latency_ms":100000000000000000000)");
    QTest::addRow("NaN is left out") << std::nan("") << QByteArray();
    QTest::addRow("infinity is left out") << inf << QByteArray();
}

void TestJsonLines::formatsLatencyWithoutExponent()
{
    QFETCH(double, latency);
    QFETCH(QByteArray, expected);
    Event event = baseEvent();
    event.latencyMs = latency;
    const QByteArray formatted = JsonLinesFormatter().format(event);
    QCOMPARE(formatted, line("info", "call_started",
                             expected.isEmpty() ? QByteArray() : QByteArray(',' + expected)));
    QVERIFY(formatted.size() <= JsonLinesFormatter::maxLineSize(event));
}

void TestJsonLines::formatsTheLargestLatencyInFull()
{
    Event event = baseEvent();
    event.latencyMs = -std::numeric_limits<double>::max();
    const QByteArray formatted = JsonLinesFormatter().format(event);
    QVERIFY(formatted.size() <= JsonLinesFormatter::maxLineSize(event));
    const QByteArray prefix = R"("latency_ms":-179769313486231570)";
    const qsizetype at = formatted.indexOf(prefix);
    QVERIFY(at > 0);
    // 309 digits and no exponent, fraction or point.
    const qsizetype digitsEnd = formatted.indexOf(',', at);
    QCOMPARE(digitsEnd - at - qsizetype(strlen(R"("latency_ms":-)")), 309);
    const std::optional<Event> back = parseLogLine(formatted);
    QVERIFY(back && back->latencyMs);
    QCOMPARE(*back->latencyMs, -std::numeric_limits<double>::max());
}

void TestJsonLines::escapesHostileStrings_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("expectedJson");
    QTest::addColumn<QString>("expectedBack"); // what a reader gets: the text, or its repair

    const auto row = [](const char* name, const QString& text, const QByteArray& json,
                        const QString& back) {
        QTest::addRow("%s", name) << text << json << back;
    };
    const auto same = [&row](const char* name, const QString& text, const QByteArray& json) {
        row(name, text, json, text);
    };
    const QString fffd(QChar::ReplacementCharacter);

    same("plain", QStringLiteral("hello world"), R"("hello world")");
    same("quotes", QStringLiteral(R"(say "hi")"), R"("say \"hi\"")");
    same("backslash", QStringLiteral(R"(C:\tmp\)"), R"("C:\\tmp\\")");
    same("slash is left alone", QStringLiteral("a/b"), R"("a/b")");
    same("newline, return, tab", QStringLiteral("a\nb\rc\td"), R"("a\nb\rc\td")");
    same("control characters", utf16({0x00, 0x01, 0x08, 0x0c, 0x1b, 0x1f}),
         R"("\u0000\u0001\u0008\u000c\u001b\u001f")");
    same("DEL is not a control character for JSON", utf16({u'a', 0x7f}), "\"a\x7f\"");
    same("two-byte UTF-8", QStringLiteral("caf\u00e9"), "\"caf\xc3\xa9\"");
    same("Arabic", QStringLiteral("\u0645\u0631\u062d\u0628\u0627"),
         "\"\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7\"");
    same("CJK", QStringLiteral("\u4f60\u597d"), "\"\xe4\xbd\xa0\xe5\xa5\xbd\"");
    same("emoji, a surrogate pair", utf16({0xd83d, 0xde00}), "\"\xf0\x9f\x98\x80\"");
    same("non-BMP ideograph", utf16({0xd840, 0xdc00}), "\"\xf0\xa0\x80\x80\"");
    same("highest code point", utf16({0xdbff, 0xdfff}), "\"\xf4\x8f\xbf\xbf\"");
    same("line separator stays UTF-8", utf16({0x2028}), "\"\xe2\x80\xa8\"");
    same("BMP noncharacter", utf16({0xffff}), "\"\xef\xbf\xbf\"");
    row("lone high surrogate at the end", utf16({u'a', 0xd83d}), "\"a\xef\xbf\xbd\"", u'a' + fffd);
    row("lone high surrogate before text", utf16({0xd83d, u'x'}), "\"\xef\xbf\xbdx\"", fffd + u'x');
    row("lone low surrogate", utf16({0xde00}), "\"\xef\xbf\xbd\"", fffd);
    row("pair in the wrong order", utf16({0xde00, 0xd83d}), "\"\xef\xbf\xbd\xef\xbf\xbd\"",
        fffd + fffd);
    row("two highs, then a low", utf16({0xd83d, 0xd83d, 0xde00}),
        "\"\xef\xbf\xbd\xf0\x9f\x98\x80\"", fffd + utf16({0xd83d, 0xde00}));
    same("all at once", QStringLiteral("\"}\n{\"event\":\"x\u4f60"),
         "\"\\\"}\\n{\\\"event\\\":\\\"x\xe4\xbd\xa0\"");
}

void TestJsonLines::escapesHostileStrings()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, expectedJson);
    QFETCH(QString, expectedBack);

    Event event = baseEvent();
    event.service = text;
    event.reason = text;
    event.errorCode = text;
    event.message = text;
    const QByteArray formatted = JsonLinesFormatter().format(event);
    QCOMPARE(formatted,
             line("info", "call_started",
                  ",\"service\":" + expectedJson + ",\"reason\":" + expectedJson +
                      ",\"error_code\":" + expectedJson + ",\"message\":" + expectedJson));
    QVERIFY(isValidUtf8(formatted));
    QVERIFY(formatted.size() <= JsonLinesFormatter::maxLineSize(event));
    QCOMPARE(formatted.count('\n'), 1);

    const std::optional<Event> back = parseLogLine(formatted);
    QVERIFY(back);
    QCOMPARE(back->service, expectedBack);
    QCOMPARE(back->reason, expectedBack);
    QCOMPARE(back->errorCode, expectedBack);
    QCOMPARE(back->message, expectedBack);
}

void TestJsonLines::timestampsAcrossSecondAndDayBoundaries()
{
    struct Step
    {
        WallTime time;
        const char* expected;
    };
    const Step steps[] = {
        {utc(2026, 11, 28, 23, 59, 58, 999), "2026-11-28T23:59:58.999Z"},
        {utc(2026, 11, 28, 23, 59, 59, 0), "2026-11-28T23:59:59.000Z"},
        {utc(2026, 11, 28, 23, 59, 59, 1), "2026-11-28T23:59:59.001Z"},
        {utc(2026, 11, 28, 23, 59, 59, 999), "2026-11-28T23:59:59.999Z"},
        {utc(2026, 11, 29, 0, 0, 0, 0), "2026-11-29T00:00:00.000Z"},
        {utc(2026, 11, 29, 0, 0, 1, 50), "2026-11-29T00:00:01.050Z"},
        {utc(2026, 12, 31, 23, 59, 59, 999), "2026-12-31T23:59:59.999Z"},
        {utc(2027, 1, 1, 0, 0, 0, 0), "2027-01-01T00:00:00.000Z"},
        {utc(2028, 2, 28, 23, 59, 59, 999), "2028-02-28T23:59:59.999Z"},
        {utc(2028, 2, 29, 0, 0, 0, 0), "2028-02-29T00:00:00.000Z"},
        {utc(2028, 3, 1, 12, 30, 45, 500), "2028-03-01T12:30:45.500Z"},
        // Back in time (a clock step): the cached second and day must not stick.
        {utc(2028, 3, 1, 12, 30, 44, 999), "2028-03-01T12:30:44.999Z"},
        {utc(2026, 11, 28, 15, 4, 5, 123), "2026-11-28T15:04:05.123Z"},
        {utc(2026, 11, 28, 15, 4, 5, 123) + nanoseconds(999'999), "2026-11-28T15:04:05.123Z"},
        {WallTime(), "1970-01-01T00:00:00.000Z"},
        {WallTime(-nanoseconds(1)), "1969-12-31T23:59:59.999Z"},
        {WallTime(-milliseconds(1001)), "1969-12-31T23:59:58.999Z"},
        {utc(2000, 1, 1, 0, 0, 0, 0) - nanoseconds(1), "1999-12-31T23:59:59.999Z"},
    };
    JsonLinesFormatter warm;
    for (const Step& step : steps) {
        Event event = baseEvent();
        event.time = step.time;
        const QByteArray expected = R"({"ts":")" + QByteArray(step.expected) + '"';
        QVERIFY2(warm.format(event).startsWith(expected), step.expected);
        QVERIFY2(JsonLinesFormatter().format(event).startsWith(expected), step.expected);
    }
}

void TestJsonLines::timestampsMatchQDateTime()
{
    QRandomGenerator random(1128);
    JsonLinesFormatter jumping;
    JsonLinesFormatter steady;
    qint64 steadyMs = utc(2026, 11, 28, 22, 0, 0, 0).time_since_epoch() / milliseconds(1);
    for (int i = 0; i < 20000; ++i) {
        // Anywhere from 1900 to 2200, and a clock moving forward across several midnights.
        const qint64 jumpMs = random.bounded(qint64(-2'208'988'800'000), qint64(7'258'118'400'000));
        steadyMs += random.bounded(3000);
        for (auto [formatter, ms] : {std::pair{&jumping, jumpMs}, std::pair{&steady, steadyMs}}) {
            Event event = baseEvent();
            event.time = WallTime(milliseconds(ms));
            const QByteArray expected =
                QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
            const QByteArray formatted = formatter->format(event);
            QCOMPARE(formatted.mid(7, IsoTimestampWriter::kLength), expected);
        }
    }
}

namespace {

QString randomText(QRandomGenerator& random)
{
    static const QString pieces[] = {
        QStringLiteral("elevenlabs"),
        QStringLiteral("\""),
        QStringLiteral("\\"),
        QStringLiteral("\n"),
        QStringLiteral("\r\t"),
        QString(QChar(0x01)),
        QStringLiteral(" "),
        QStringLiteral("\u00e9"),
        QStringLiteral("\u0645\u0631"),
        QStringLiteral("\u4f60\u597d"),
        utf16({0xd83d, 0xde00}),
        QStringLiteral("{\"a\":1}"),
        QStringLiteral("quota_exceeded"),
    };
    QString text;
    const int count = random.bounded(6);
    for (int i = 0; i < count; ++i)
        text += pieces[random.bounded(int(std::size(pieces)))];
    return text;
}

Event randomEvent(QRandomGenerator& random)
{
    const auto maybe = [&random] {
        return random.bounded(2) == 0;
    };
    const auto anyInt = [&random] {
        return int(random.generate());
    };
    Event event;
    event.sequence = random.generate64() >> 1; // the parser reads up to 2^63 - 1
    event.time = WallTime(
        milliseconds(random.bounded(qint64(-2'208'988'800'000), qint64(7'258'118'400'000))));
    event.type = EventType(random.bounded(kEventTypeCount));
    event.level = EventLevel(random.bounded(int(EventLevel::Critical) + 1));
    event.service = randomText(random);
    if (maybe())
        event.callId = random.generate64() | 1;
    if (maybe())
        event.attempt = anyInt() | 1;
    const auto state = [&random] {
        return BreakerState(random.bounded(5));
    };
    if (maybe())
        event.state = state();
    if (maybe()) {
        event.fromState = state();
        event.toState = state();
    }
    event.reason = randomText(random);
    // Whole thousandths: exactly what three decimals can carry.
    if (maybe())
        event.latencyMs =
            double(random.bounded(qint64(-1'000'000), qint64(1'000'000'000'000))) / 1000;
    if (maybe())
        event.delayMs = qint64(random.generate64());
    if (maybe())
        event.errorKind = ErrorKind(random.bounded(int(ErrorKind::Cancelled) + 1));
    if (maybe())
        event.httpStatus = anyInt() | 1;
    event.errorCode = randomText(random);
    event.message = randomText(random);
    return event;
}

} // namespace

void TestJsonLines::roundTripsRandomEvents()
{
    QRandomGenerator random(20261128);
    JsonLinesFormatter formatter;
    QByteArray buffer;
    for (int i = 0; i < 5000; ++i) {
        const Event event = randomEvent(random);
        buffer.clear();
        formatter.append(event, buffer);
        QVERIFY(buffer.endsWith('\n'));
        QCOMPARE(buffer.count('\n'), 1);
        QVERIFY(isValidUtf8(buffer));
        const std::optional<Event> back = parseLogLine(buffer);
        QVERIFY2(back, buffer.constData());
        testing::compareEvents(*back, event);
        if (QTest::currentTestFailed())
            QFAIL(buffer.constData());
    }
}

void TestJsonLines::parserRejectsMalformedLines_data()
{
    QTest::addColumn<QByteArray>("line");
    const QByteArray head =
        R"({"ts":"2026-11-28T15:04:05.123Z","level":"info","event":"call_started")";
    QTest::addRow("empty") << QByteArray();
    QTest::addRow("not JSON") << QByteArray("call_started at noon");
    QTest::addRow("cut short") << head;
    QTest::addRow("an array") << QByteArray(R"(["call_started"])");
    QTest::addRow("no ts") << QByteArray(R"({"level":"info","event":"call_started"})");
    QTest::addRow("no level") << QByteArray(R"({"ts":"2026-11-28T15:04:05.123Z","event":"x"})");
    QTest::addRow("no event") << QByteArray(R"({"ts":"2026-11-28T15:04:05.123Z","level":"info"})");
    QTest::addRow("unknown event")
        << QByteArray(R"({"ts":"2026-11-28T15:04:05.123Z","level":"info","event":"call_nap"})");
    QTest::addRow("unknown level")
        << QByteArray(R"({"ts":"2026-11-28T15:04:05.123Z","level":"loud","event":"call_started"})");
    const char* badTimes[] = {"2026-11-28T15:04:05Z",     "2026-11-28 15:04:05.123Z",
                              "2026-13-28T15:04:05.123Z", "2026-02-30T15:04:05.123Z",
                              "2026-11-28T24:00:00.000Z", "2026-11-28T15:04:05.123+01",
                              "9999-11-28T15:04:05.123Z", "2026-11-28T15:04:05.1a3Z"};
    for (const char* time : badTimes) {
        QTest::addRow("ts %s", time)
            << R"({"ts":")" + QByteArray(time) + R"(","level":"info","event":"call_started"})";
    }
    const char* badFields[] = {
        R"("service":42)",       R"("call_id":"42")",       R"("call_id":"call-")",
        R"("call_id":"call-x")", R"("call_id":"call-0")",   R"("attempt":"2")",
        R"("attempt":1.5)",      R"("attempt":3000000000)", R"("state":"ajar")",
        R"("to_state":1)",       R"("latency_ms":"fast")",  R"("delay_ms":2.5)",
        R"("error_kind":"bad")", R"("http_status":true)",   R"("message":null)",
        R"("seq":-1)",           R"("seq":1e30)",
    };
    for (const char* field : badFields)
        QTest::addRow("%s", field) << head + ',' + field + '}';
}

void TestJsonLines::parserRejectsMalformedLines()
{
    QFETCH(QByteArray, line);
    QVERIFY(!parseLogLine(line));
}

void TestJsonLines::parserIgnoresUnknownFieldsAndLineEndings()
{
    const QByteArray reordered =
        R"({"seq":9,"future_field":{"x":[1]},"event":"call_skipped","level":"warning",)"
        R"("ts":"2026-11-28T15:04:05.123Z","call_id":"call-5"})";
    for (const QByteArray& ending : {QByteArray(), QByteArray("\n"), QByteArray("\r\n")}) {
        const std::optional<Event> event = parseLogLine(QByteArray(reordered + ending));
        QVERIFY(event);
        QCOMPARE(event->sequence, 9u);
        QCOMPARE(event->type, EventType::CallSkipped);
        QCOMPARE(event->level, EventLevel::Warning);
        QCOMPARE(event->callId, 5u);
        QCOMPARE(testing::wallMs(event->time), testing::wallMs(kTime));
        QVERIFY(!event->latencyMs);
    }
}

QTEST_GUILESS_MAIN(TestJsonLines)
#include "tst_jsonlines.moc"
