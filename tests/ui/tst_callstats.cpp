#include "retryalertevents.h"
#include "stats/callstats.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <vector>

using namespace breakwater;
using namespace breakwater::retryalerttest;
using namespace std::chrono_literals;

namespace {

const QString kEleven = QStringLiteral("elevenlabs");

// Every time below is an explicit second of the events' own clock: nothing waits or reads the time.
WallTime second(double s)
{
    return at(std::chrono::milliseconds(std::llround(s * 1000)));
}

double xOf(double s)
{
    return double(
        std::chrono::duration_cast<std::chrono::milliseconds>(second(s).time_since_epoch())
            .count());
}

Event ending(EventType type, double s, int attempts = 1, const QString& service = kEleven)
{
    Event e = ended(type, 1, attempts, 0ms);
    e.time = second(s);
    e.service = service;
    return e;
}

Event attempt(bool ok, double s, std::optional<double> latencyMs = {},
              const QString& service = kEleven)
{
    Event e;
    e.time = second(s);
    e.type = ok ? EventType::AttemptSucceeded : EventType::AttemptFailed;
    e.service = service;
    e.callId = 1;
    e.attempt = 1;
    e.latencyMs = latencyMs;
    return e;
}

void append(CallStats& stats, const std::vector<Event>& events)
{
    stats.appendEvents(std::span<const Event>(events));
}

// What yAt() says of a second the series has no point for: no metric here is ever negative.
constexpr double kNoPoint = -1.0;

// y at the second starting at `s`.
double yAt(const QList<QPointF>& points, double s)
{
    for (const QPointF& p : points) {
        if (p.x() == xOf(s))
            return p.y();
    }
    return kNoPoint;
}

// The histogram answers within about 3% of the true sample (see LatencyHistogram).
bool near(double actual, double expected)
{
    return std::abs(actual - expected) <= expected / 30.0;
}

} // namespace

// Per-second call statistics over a rolling window, from events with their own times.
class TestCallStats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void outcomeOf_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("attempt");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<int>("outcome"); // -1: not a call's end

        QTest::addRow("first try")
            << int(EventType::CallSucceeded) << 1 << QString() << int(CallOutcome::Succeeded);
        QTest::addRow("after a retry") << int(EventType::CallSucceeded) << 2 << QString()
                                       << int(CallOutcome::RetriedThenSucceeded);
        QTest::addRow("reason only")
            << int(EventType::CallSucceeded) << 0 << QStringLiteral("succeeded_after_retry")
            << int(CallOutcome::RetriedThenSucceeded);
        QTest::addRow("no attempts said")
            << int(EventType::CallSucceeded) << 0 << QString() << int(CallOutcome::Succeeded);
        QTest::addRow("failed") << int(EventType::CallFailed) << 3 << QString()
                                << int(CallOutcome::Failed);
        QTest::addRow("skipped") << int(EventType::CallSkipped) << 0 << QString()
                                 << int(CallOutcome::Skipped);
        QTest::addRow("degraded") << int(EventType::CallDegraded) << 2 << QString()
                                  << int(CallOutcome::Degraded);
        QTest::addRow("attempt") << int(EventType::AttemptSucceeded) << 1 << QString() << -1;
        QTest::addRow("started") << int(EventType::CallStarted) << 0 << QString() << -1;
    }

    void outcomeOf()
    {
        QFETCH(int, type);
        QFETCH(int, attempt);
        QFETCH(QString, reason);
        QFETCH(int, outcome);
        Event e;
        e.type = EventType(type);
        e.attempt = attempt;
        e.reason = reason;
        const std::optional<CallOutcome> actual = callOutcomeOf(e);
        QCOMPARE(actual ? int(*actual) : -1, outcome);
    }

    void callsByOutcomePerSecond()
    {
        CallStats stats(10s);
        std::vector<Event> events;
        for (int i = 0; i < 3; ++i)
            events.push_back(ending(EventType::CallSucceeded, 0.1 * i));
        events.push_back(ending(EventType::CallSucceeded, 0.5, 3));
        events.push_back(ending(EventType::CallSucceeded, 0.9, 2));
        events.push_back(ending(EventType::CallFailed, 0.95, 3));
        events.push_back(ending(EventType::CallSkipped, 1.0, 0));
        events.push_back(ending(EventType::CallDegraded, 1.999, 1));
        append(stats, events);

        // Every second of the window has a point, the one still filling (5) does not.
        const QList<QPointF> succeeded = stats.series(CallMetric::SucceededCalls, {}, second(5.5));
        QCOMPARE(succeeded.size(), 10);
        QCOMPARE(succeeded.first().x(), xOf(-5));
        QCOMPARE(succeeded.last().x(), xOf(4));
        QCOMPARE(yAt(succeeded, 0), 3.0);
        QCOMPARE(yAt(succeeded, 1), 0.0);
        QCOMPARE(yAt(succeeded, -1), 0.0);
        const auto outcomeAt = [&](CallOutcome outcome, double s) {
            return yAt(stats.series(callsMetric(outcome), {}, second(5.5)), s);
        };
        QCOMPARE(outcomeAt(CallOutcome::RetriedThenSucceeded, 0), 2.0);
        QCOMPARE(outcomeAt(CallOutcome::Failed, 0), 1.0);
        QCOMPARE(outcomeAt(CallOutcome::Skipped, 1), 1.0);
        QCOMPARE(outcomeAt(CallOutcome::Skipped, 0), 0.0);
        QCOMPARE(outcomeAt(CallOutcome::Degraded, 1), 1.0);

        const CallTotals totals = stats.totals({}, second(2), 2s);
        QVERIFY(totals.span == 2s);
        QCOMPARE(totals.calls(CallOutcome::Succeeded), std::uint64_t(3));
        QCOMPARE(totals.calls(CallOutcome::RetriedThenSucceeded), std::uint64_t(2));
        QCOMPARE(totals.calls(CallOutcome::Failed), std::uint64_t(1));
        QCOMPARE(totals.calls(CallOutcome::Skipped), std::uint64_t(1));
        QCOMPARE(totals.calls(CallOutcome::Degraded), std::uint64_t(1));
        QCOMPARE(totals.calls(), std::uint64_t(8));
        QCOMPARE(totals.callsPerSecond(), 4.0);
        // Ends of calls are not attempts.
        QCOMPARE(totals.attempts, std::uint64_t(0));
        QVERIFY(!totals.errorRatePercent());
        QVERIFY(!totals.latencyP50Ms);
    }

    void errorRate()
    {
        CallStats stats(10s);
        append(stats, {attempt(true, 0.1), attempt(true, 0.2), attempt(false, 0.3),
                       attempt(true, 0.4), attempt(false, 2.0), attempt(false, 2.5)});
        const QList<QPointF> rate = stats.series(CallMetric::ErrorRatePercent, {}, second(3));
        // No point for a second without attempts: a rate of nothing is not 0%.
        QCOMPARE(rate.size(), 2);
        QCOMPARE(yAt(rate, 0), 25.0);
        QCOMPARE(yAt(rate, 1), kNoPoint);
        QCOMPARE(yAt(rate, 2), 100.0);
        QCOMPARE(yAt(stats.series(CallMetric::Attempts, {}, second(3)), 0), 4.0);
        QCOMPARE(yAt(stats.series(CallMetric::FailedAttempts, {}, second(3)), 2), 2.0);
        QCOMPARE(yAt(stats.series(CallMetric::FailedAttempts, {}, second(3)), 1), 0.0);

        const CallTotals totals = stats.totals({}, second(3), 3s);
        QCOMPARE(totals.attempts, std::uint64_t(6));
        QCOMPARE(totals.failedAttempts, std::uint64_t(3));
        QVERIFY(totals.errorRatePercent());
        QCOMPARE(*totals.errorRatePercent(), 50.0);
        QCOMPARE(totals.attemptsPerSecond(), 2.0);
        // The second still filling is not in the totals.
        QCOMPARE(stats.totals({}, second(2.5), 3s).attempts, std::uint64_t(4));
    }

    void latencyPercentiles()
    {
        CallStats stats(10s);
        std::vector<Event> events;
        for (int ms = 1; ms <= 100; ++ms)
            events.push_back(attempt(true, 0.5, double(ms)));
        for (int i = 0; i < 100; ++i)
            events.push_back(attempt(i % 2 == 0, 1.5, 1000.0));
        append(stats, events);

        const QList<QPointF> p50 = stats.series(CallMetric::LatencyP50Ms, {}, second(2));
        const QList<QPointF> p95 = stats.series(CallMetric::LatencyP95Ms, {}, second(2));
        const QList<QPointF> p99 = stats.series(CallMetric::LatencyP99Ms, {}, second(2));
        QCOMPARE(p50.size(), 2);
        QVERIFY2(near(yAt(p50, 0), 50.0), qPrintable(QString::number(yAt(p50, 0))));
        QVERIFY2(near(yAt(p95, 0), 95.0), qPrintable(QString::number(yAt(p95, 0))));
        QVERIFY2(near(yAt(p99, 0), 99.0), qPrintable(QString::number(yAt(p99, 0))));
        // Never outside what was measured.
        QCOMPARE(yAt(p50, 1), 1000.0);

        // Over both seconds: percentiles of all 200 samples, not an average of the two seconds'.
        const CallTotals totals = stats.totals({}, second(2), 2s);
        QVERIFY(totals.latencyP50Ms && totals.latencyP95Ms && totals.latencyP99Ms);
        QVERIFY2(near(*totals.latencyP50Ms, 100.0),
                 qPrintable(QString::number(*totals.latencyP50Ms)));
        QCOMPARE(*totals.latencyP95Ms, 1000.0);
        QCOMPARE(*totals.latencyP99Ms, 1000.0);
        // The second alone.
        const CallTotals first = stats.totals({}, second(1), 1s);
        QVERIFY(near(*first.latencyP95Ms, 95.0));
    }

    void unusableLatenciesAreLeftOut()
    {
        CallStats stats(10s);
        append(stats,
               {attempt(false, 0.1, std::numeric_limits<double>::quiet_NaN()),
                attempt(false, 0.2, -5.0),
                attempt(false, 0.3, std::numeric_limits<double>::infinity()), attempt(true, 0.4)});
        // Counted as attempts, but no latency to show.
        QCOMPARE(yAt(stats.series(CallMetric::Attempts, {}, second(1)), 0), 4.0);
        QCOMPARE(yAt(stats.series(CallMetric::ErrorRatePercent, {}, second(1)), 0), 75.0);
        QVERIFY(stats.series(CallMetric::LatencyP50Ms, {}, second(1)).isEmpty());
        QVERIFY(!stats.totals({}, second(1), 1s).latencyP50Ms);
    }

    void rollingWindow()
    {
        CallStats stats(10s);
        append(stats, {ending(EventType::CallSucceeded, 0.5)});
        const auto succeededAt = [&](double s, double now) {
            return yAt(stats.series(CallMetric::SucceededCalls, {}, second(now)), s);
        };
        // In the window while it is one of its last ten complete seconds.
        QCOMPARE(succeededAt(0, 1), 1.0);
        QCOMPARE(succeededAt(0, 10.9), 1.0);
        QCOMPARE(succeededAt(0, 11), kNoPoint);
        QCOMPARE(stats.totals({}, second(10.9), 60s).calls(), std::uint64_t(1));
        QVERIFY(stats.totals({}, second(10.9), 60s).span == 10s); // capped at the window
        QCOMPARE(stats.totals({}, second(11), 10s).calls(), std::uint64_t(0));

        // A later second that reuses the slot: the old second's counts are not shown as its own.
        append(stats, {ending(EventType::CallFailed, 12.5), ending(EventType::CallFailed, 12.7)});
        QCOMPARE(yAt(stats.series(CallMetric::FailedCalls, {}, second(13)), 12), 2.0);
        QCOMPARE(yAt(stats.series(CallMetric::SucceededCalls, {}, second(13)), 12), 0.0);
        QCOMPARE(stats.totals({}, second(13), 10s).calls(), std::uint64_t(2));
        // Looking back at the old second now that its slot was taken: nothing, not the new counts.
        QCOMPARE(succeededAt(0, 1), 0.0);
        QCOMPARE(yAt(stats.series(CallMetric::FailedCalls, {}, second(1)), 0), 0.0);
    }

    void lateEvents()
    {
        CallStats stats(10s);
        append(stats, {ending(EventType::CallSucceeded, 20.5)});
        // Late but still in the window: counted in its own second.
        append(stats, {ending(EventType::CallFailed, 15.2)});
        QCOMPARE(yAt(stats.series(CallMetric::FailedCalls, {}, second(21)), 15), 1.0);
        QCOMPARE(stats.droppedOldEvents(), std::uint64_t(0));
        // Older than the window: dropped and counted, not written over a newer second.
        append(stats, {ending(EventType::CallFailed, 5.0), ending(EventType::CallFailed, 8.0)});
        QCOMPARE(stats.droppedOldEvents(), std::uint64_t(2));
        QCOMPARE(stats.totals({}, second(21), 10s).calls(CallOutcome::Failed), std::uint64_t(1));
        QCOMPARE(stats.totals({}, second(21), 10s).calls(CallOutcome::Succeeded), std::uint64_t(1));
    }

    void perService()
    {
        CallStats stats(10s);
        const QString backup = QStringLiteral("backup");
        append(stats, {ending(EventType::CallSucceeded, 0.1, 1, backup),
                       ending(EventType::CallSucceeded, 0.2, 1, kEleven),
                       ending(EventType::CallSucceeded, 0.3, 1, kEleven),
                       attempt(false, 0.4, 10.0, backup), attempt(true, 0.5, 20.0, kEleven),
                       ending(EventType::CallFailed, 0.6, 1, QString())});
        QCOMPARE(stats.services(), QStringList({backup, kEleven}));
        const auto succeeded = [&](const QString& service) {
            return yAt(stats.series(CallMetric::SucceededCalls, service, second(1)), 0);
        };
        QCOMPARE(succeeded(kEleven), 2.0);
        QCOMPARE(succeeded(backup), 1.0);
        QCOMPARE(succeeded(QString()), 3.0); // all services, and events that name none
        QCOMPARE(stats.totals({}, second(1), 1s).calls(), std::uint64_t(4));
        QCOMPARE(yAt(stats.series(CallMetric::ErrorRatePercent, backup, second(1)), 0), 100.0);
        QCOMPARE(yAt(stats.series(CallMetric::ErrorRatePercent, kEleven, second(1)), 0), 0.0);
        QCOMPARE(yAt(stats.series(CallMetric::ErrorRatePercent, {}, second(1)), 0), 50.0);
        QCOMPARE(*stats.totals(backup, second(1), 1s).latencyP50Ms, 10.0);

        // A service never seen: zeros to draw, nothing to sum.
        const QString unknown = QStringLiteral("unknown");
        QCOMPARE(succeeded(unknown), 0.0);
        QCOMPARE(stats.totals(unknown, second(1), 1s).calls(), std::uint64_t(0));
    }

    void servicesAreBounded()
    {
        CallStats stats(10s);
        std::vector<Event> events;
        for (int i = 0; i < CallStats::kMaxServices + 8; ++i)
            events.push_back(
                ending(EventType::CallSucceeded, 0.5, 1, QStringLiteral("service-%1").arg(i)));
        append(stats, events);
        QCOMPARE(stats.services().size(), CallStats::kMaxServices);
        // The ones past the bound still count in the total.
        QCOMPARE(stats.totals({}, second(1), 1s).calls(),
                 std::uint64_t(CallStats::kMaxServices + 8));
    }

    void clearForgetsEverything()
    {
        CallStats stats(10s);
        append(stats, {ending(EventType::CallSucceeded, 100.5), ending(EventType::CallFailed, 1)});
        QCOMPARE(stats.droppedOldEvents(), std::uint64_t(1));
        stats.clear();
        QVERIFY(stats.services().isEmpty());
        QCOMPARE(stats.droppedOldEvents(), std::uint64_t(0));
        QCOMPARE(stats.totals({}, second(101), 10s).calls(), std::uint64_t(0));
        // And an older stream may start again: nothing newer is remembered.
        append(stats, {ending(EventType::CallFailed, 1.5)});
        QCOMPARE(stats.droppedOldEvents(), std::uint64_t(0));
        QCOMPARE(stats.totals({}, second(2), 10s).calls(), std::uint64_t(1));
    }
};

QTEST_MAIN(TestCallStats)
#include "tst_callstats.moc"
