#pragma once

#include "events/event.h"
#include "qtestprinters.h"

#include <QByteArrayList>
#include <QFile>
#include <QTest>

#include <optional>

namespace breakwater::testing {

// The lines of a log file, without their '\n'; empty if the file cannot be read.
inline QByteArrayList readLogLines(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArrayList lines = file.readAll().split('\n');
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    return lines;
}

inline qint64 wallMs(WallTime time)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

// Field by field, so a failure names the field. Call through QVERIFY(!QTest::currentTestFailed())
// or check it afterwards: a QCOMPARE here returns from this function only.
inline void compareEvents(const Event& actual, const Event& expected)
{
    QCOMPARE(actual.sequence, expected.sequence);
    QCOMPARE(wallMs(actual.time), wallMs(expected.time));
    QCOMPARE(eventTypeName(actual.type), eventTypeName(expected.type));
    QCOMPARE(eventLevelName(actual.level), eventLevelName(expected.level));
    QCOMPARE(actual.service, expected.service);
    QCOMPARE(actual.callId, expected.callId);
    QCOMPARE(actual.attempt, expected.attempt);
    QCOMPARE(actual.state.has_value(), expected.state.has_value());
    if (expected.state)
        QCOMPARE(*actual.state, *expected.state);
    QCOMPARE(actual.fromState.has_value(), expected.fromState.has_value());
    if (expected.fromState)
        QCOMPARE(*actual.fromState, *expected.fromState);
    QCOMPARE(actual.toState.has_value(), expected.toState.has_value());
    if (expected.toState)
        QCOMPARE(*actual.toState, *expected.toState);
    QCOMPARE(actual.reason, expected.reason);
    QCOMPARE(actual.latencyMs.has_value(), expected.latencyMs.has_value());
    if (expected.latencyMs)
        QCOMPARE(*actual.latencyMs, *expected.latencyMs);
    QCOMPARE(actual.delayMs.has_value(), expected.delayMs.has_value());
    if (expected.delayMs)
        QCOMPARE(*actual.delayMs, *expected.delayMs);
    QCOMPARE(actual.errorKind.has_value(), expected.errorKind.has_value());
    if (expected.errorKind)
        QCOMPARE(errorKindName(*actual.errorKind), errorKindName(*expected.errorKind));
    QCOMPARE(actual.httpStatus, expected.httpStatus);
    QCOMPARE(actual.errorCode, expected.errorCode);
    QCOMPARE(actual.message, expected.message);
}

} // namespace breakwater::testing
