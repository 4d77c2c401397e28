#include "breaker/breakerpanelstate.h"
#include "qtestprinters.h"
#include "retryalertevents.h"

#include <QTest>

#include <vector>

using namespace breakwater;
using namespace breakwater::retryalerttest;
using namespace std::chrono_literals;

namespace {

const QString kEleven = QStringLiteral("elevenlabs");

// As PipelineWorker publishes it: state and to_state alike, the open wait on an opening.
Event transition(BreakerState from, BreakerState to, std::chrono::milliseconds offset,
                 const QString& why = QStringLiteral("5 consecutive failures (threshold 5)"),
                 const QString& service = kEleven)
{
    Event e;
    e.time = at(offset);
    e.type = EventType::BreakerTransition;
    e.service = service;
    e.state = to;
    e.fromState = from;
    e.toState = to;
    e.reason = QStringLiteral("consecutive_failures");
    e.message = why;
    if (to == BreakerState::Open)
        e.delayMs = 30'000;
    return e;
}

Event skipped(BreakerState state, std::chrono::milliseconds offset,
              const QString& service = kEleven)
{
    Event e = callEvent(EventType::CallSkipped, 1, 0, offset, service);
    e.state = state;
    e.reason = QStringLiteral("breaker_open");
    e.errorKind = ErrorKind::Rejected;
    return e;
}

void append(BreakerPanelState& panel, const std::vector<Event>& events)
{
    panel.appendEvents(std::span<const Event>(events));
}

} // namespace

// What a breaker panel shows of one service, from its events alone.
class TestBreakerPanelState : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsClosedAndUnknown()
    {
        BreakerPanelState panel(kEleven);
        QCOMPARE(panel.service(), kEleven);
        QCOMPARE(panel.state(), BreakerState::Closed);
        QVERIFY(!panel.hasEvents());
        QVERIFY(!panel.lastTransitionAt());
        QVERIFY(!panel.halfOpenDueAt());
        QCOMPARE(panel.transitions(), std::uint64_t(0));
    }

    void otherServicesAreIgnored()
    {
        BreakerPanelState panel(kEleven);
        append(panel, {transition(BreakerState::Closed, BreakerState::Open, 0ms, QString(),
                                  QStringLiteral("backup")),
                       skipped(BreakerState::Open, 1ms, QStringLiteral("backup"))});
        QVERIFY(!panel.hasEvents());
        QCOMPARE(panel.state(), BreakerState::Closed);
        QCOMPARE(panel.skippedTotal(), std::uint64_t(0));
    }

    void opening()
    {
        BreakerPanelState panel(kEleven);
        append(panel, {failedAttempt(1, 1, 0ms, 503),
                       transition(BreakerState::Closed, BreakerState::Open, 100ms)});
        QVERIFY(panel.hasEvents());
        QCOMPARE(panel.state(), BreakerState::Open);
        QCOMPARE(panel.transitions(), std::uint64_t(1));
        QVERIFY(panel.lastTransitionAt() == at(100ms));
        QVERIFY(panel.lastTransitionFrom() == BreakerState::Closed);
        QCOMPARE(panel.lastTransitionWhy(), QStringLiteral("5 consecutive failures (threshold 5)"));
        // The countdown to the half-open trial starts from the transition's own time.
        QVERIFY(panel.halfOpenDueAt() == at(30'100ms));
    }

    // One outage is counted from the breaker opening until it lets calls through again, through
    // a failed half-open trial and the reopening after it.
    void skippedCallsOfOneOutage()
    {
        BreakerPanelState panel(kEleven);
        append(panel, {skipped(BreakerState::Closed, 0ms)}); // a full queue, not the breaker
        QCOMPARE(panel.skippedTotal(), std::uint64_t(1));
        QCOMPARE(panel.skippedSinceOpen(), std::uint64_t(0));

        append(panel, {transition(BreakerState::Closed, BreakerState::Open, 1s),
                       skipped(BreakerState::Open, 2s), skipped(BreakerState::Open, 3s)});
        QCOMPARE(panel.skippedSinceOpen(), std::uint64_t(2));

        append(panel, {transition(BreakerState::Open, BreakerState::HalfOpen, 31s,
                                  QStringLiteral("open wait elapsed"))});
        QCOMPARE(panel.state(), BreakerState::HalfOpen);
        QVERIFY(!panel.halfOpenDueAt()); // only an open breaker counts down
        QCOMPARE(panel.skippedSinceOpen(), std::uint64_t(2));

        append(panel, {transition(BreakerState::HalfOpen, BreakerState::Open, 32s,
                                  QStringLiteral("trial call failed")),
                       skipped(BreakerState::Open, 33s)});
        QCOMPARE(panel.skippedSinceOpen(), std::uint64_t(3));
        QVERIFY(panel.halfOpenDueAt() == at(62s));
        QVERIFY(panel.lastTransitionFrom() == BreakerState::HalfOpen);
        QCOMPARE(panel.lastTransitionWhy(), QStringLiteral("trial call failed"));

        append(panel, {transition(BreakerState::Open, BreakerState::HalfOpen, 62s),
                       transition(BreakerState::HalfOpen, BreakerState::Closed, 63s)});
        QCOMPARE(panel.state(), BreakerState::Closed);
        QCOMPARE(panel.skippedSinceOpen(), std::uint64_t(0));
        QCOMPARE(panel.skippedTotal(), std::uint64_t(4));
        QCOMPARE(panel.transitions(), std::uint64_t(5));
        QVERIFY(!panel.halfOpenDueAt());
    }

    void operatorStates()
    {
        BreakerPanelState panel(kEleven);
        append(panel, {transition(BreakerState::Closed, BreakerState::ForcedOpen, 0ms,
                                  QStringLiteral("forced open by an operator")),
                       skipped(BreakerState::ForcedOpen, 1s)});
        QCOMPARE(panel.state(), BreakerState::ForcedOpen);
        // Held by an operator: no trial is due.
        QVERIFY(!panel.halfOpenDueAt());
        QCOMPARE(panel.skippedSinceOpen(), std::uint64_t(1));

        append(panel, {transition(BreakerState::ForcedOpen, BreakerState::Disabled, 2s)});
        QCOMPARE(panel.state(), BreakerState::Disabled);
        QCOMPARE(panel.skippedSinceOpen(), std::uint64_t(0));
    }

    // Events other than transitions say the state after them too: a panel that missed a
    // transition (the bridge may shed events) still catches up.
    void stateFromOtherEvents()
    {
        BreakerPanelState panel(kEleven);
        Event probe = callEvent(EventType::HealthProbe, 0, 0, 0ms);
        probe.state = BreakerState::Open;
        append(panel, {probe});
        QCOMPARE(panel.state(), BreakerState::Open);
        QCOMPARE(panel.transitions(), std::uint64_t(0));

        // An event without a state leaves it as it was.
        append(panel, {callEvent(EventType::CallStarted, 1, 0, 1s)});
        QCOMPARE(panel.state(), BreakerState::Open);

        Event succeeded = callEvent(EventType::AttemptSucceeded, 1, 1, 2s);
        succeeded.state = BreakerState::Closed;
        append(panel, {succeeded});
        QCOMPARE(panel.state(), BreakerState::Closed);
    }

    void labels_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("label");
        QTest::addRow("closed") << int(BreakerState::Closed) << QStringLiteral("CLOSED");
        QTest::addRow("open") << int(BreakerState::Open) << QStringLiteral("OPEN");
        QTest::addRow("half open") << int(BreakerState::HalfOpen) << QStringLiteral("HALF-OPEN");
        QTest::addRow("forced open")
            << int(BreakerState::ForcedOpen) << QStringLiteral("FORCED OPEN");
        QTest::addRow("disabled") << int(BreakerState::Disabled) << QStringLiteral("DISABLED");
    }

    void labels()
    {
        QFETCH(int, state);
        QFETCH(QString, label);
        QCOMPARE(breakerStateLabel(BreakerState(state)), label);
    }
};

QTEST_MAIN(TestBreakerPanelState)
#include "tst_breakerpanelstate.moc"
