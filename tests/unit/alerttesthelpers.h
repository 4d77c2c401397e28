#pragma once

// Times, alerts and printers shared by the unit tests of core/alerts.

#include "alerts/alert.h"
#include "alerts/notification.h"

#include <QByteArray>
#include <QDateTime>
#include <QTest>

#include <chrono>
#include <optional>

namespace breakwater {

inline char* toString(AlertSeverity severity)
{
    return QTest::toString(alertSeverityName(severity));
}

} // namespace breakwater

namespace QTest {

template <> inline char* toString(const breakwater::WallTime& time)
{
    return QTest::toString(breakwater::rfc3339(time));
}

template <> inline char* toString(const breakwater::TimePoint& time)
{
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
    return QTest::toString(QByteArray::number(ms) + "ms");
}

template <> inline char* toString(const std::optional<breakwater::TimePoint>& time)
{
    return time ? toString(*time) : QTest::toString("nullopt");
}

} // namespace QTest

namespace breakwater::alerttest {

using namespace std::chrono_literals;

// 2026-01-01T00:00:00Z: every test's calendar starts here, never at the real time.
inline const WallTime kWallStart{std::chrono::seconds(1'767'225'600)};
// The steady clock's start, arbitrary but fixed.
inline const TimePoint kSteadyStart{std::chrono::hours(1000)};

inline WallTime wallAt(Duration offset)
{
    return kWallStart + std::chrono::duration_cast<WallTime::duration>(offset);
}

inline TimePoint steadyAt(Duration offset)
{
    return kSteadyStart + offset;
}

inline const QString kElevenLabs = QStringLiteral("elevenlabs");

// A firing alert of a rule and service, with some text to carry along.
inline Alert firingAlert(const QString& rule, const QString& service = kElevenLabs,
                         AlertLabels labels = {}, WallTime startsAt = kWallStart,
                         AlertSeverity severity = AlertSeverity::Critical)
{
    Alert alert = makeAlert(rule, service, std::move(labels), severity, startsAt);
    alert.summary = QStringLiteral("%1: %2 is failing").arg(service, rule);
    alert.description = QStringLiteral("details of %1").arg(rule);
    return alert;
}

inline Alert resolvedCopy(Alert alert, WallTime endsAt)
{
    alert.endsAt = endsAt;
    return alert;
}

} // namespace breakwater::alerttest
