#include "breaker/circuitbreaker.h"
#include "breakerhelpers.h"
#include "clock/manualclock.h"
#include "qtestprinters.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace breakwater;
using namespace breakwater::testing;

Q_DECLARE_METATYPE(breakwater::BreakerConfig)

class TestCircuitBreaker : public QObject
{
    Q_OBJECT

private slots:
    void startsClosedAndPermits();
    void consecutiveFailuresTripAtThreshold_data();
    void consecutiveFailuresTripAtThreshold();
    void successResetsConsecutiveFailures();
    void failureRateTripsAtThreshold_data();
    void failureRateTripsAtThreshold();
    void failureRateWaitsForMinimumCalls();
    void slowCallRateTrips();
    void countWindowSlides();
    void timeWindowTripsOnRecentFailures();
    void timeWindowForgetsOldFailures();
    void openRejectsUntilWaitElapses();
    void halfOpenPermitsExactlyN();
    void halfOpenClosesAfterSuccesses();
    void halfOpenFailureReopens();
    void halfOpenSlowCallReopens();
    void halfOpenWatchdogReopens();
    void releaseReturnsHalfOpenPermit();
    void openWaitGrowsAcrossTrips();
    void openWaitResetsAfterClosing();
    void staleResultsAreDropped();
    void forcedOpenRejectsAndHolds();
    void disabledPermitsAndRecordsNothing();
    void resetClosesFromAnyState_data();
    void resetClosesFromAnyState();
    void resetWhileClosedClearsWindow();
    void transitionCarriesSnapshot();
    void describeTransitionExplains();
    void statusReportsOpenUntilAndPermits();
    void listenerSeesTransitionsInOrder();
    void healthProbeOnlyMovesOpenAndHalfOpen();
    void staleHealthProbeIsDropped();
    void successBringingWindowToMinimumTrips();
    void timeWindowTripsWhenSuccessesSlideOut();
    void resetWhileClosedDropsCallsInFlight();
    void configValidation_data();
    void configValidation();
};

void TestCircuitBreaker::startsClosedAndPermits()
{
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), BreakerConfig{}, clock);
    QCOMPARE(breaker.state(), BreakerState::Closed);
    QVERIFY(breaker.tryAcquire());
    QCOMPARE(breaker.service(), QStringLiteral("tts"));
    QVERIFY(!breaker.lastTransition());
}

void TestCircuitBreaker::consecutiveFailuresTripAtThreshold_data()
{
    QTest::addColumn<int>("threshold");
    for (int threshold : {1, 3, 5, 20})
        QTest::addRow("threshold %d", threshold) << threshold;
}

void TestCircuitBreaker::consecutiveFailuresTripAtThreshold()
{
    QFETCH(int, threshold);
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), consecutiveConfig(threshold), clock);
    failTimes(breaker, threshold - 1);
    QCOMPARE(breaker.state(), BreakerState::Closed);
    failTimes(breaker, 1);
    QCOMPARE(breaker.state(), BreakerState::Open);
    QCOMPARE(breaker.lastTransition()->reason, TransitionReason::ConsecutiveFailures);
    QVERIFY(!breaker.tryAcquire());
}

void TestCircuitBreaker::successResetsConsecutiveFailures()
{
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), consecutiveConfig(3), clock);
    failTimes(breaker, 2);
    succeed(breaker);
    failTimes(breaker, 2);
    QCOMPARE(breaker.state(), BreakerState::Closed);
    QCOMPARE(breaker.status().consecutiveFailures, 2);
    failTimes(breaker, 1);
    QCOMPARE(breaker.state(), BreakerState::Open);
}

void TestCircuitBreaker::failureRateTripsAtThreshold_data()
{
    QTest::addColumn<double>("threshold");
    QTest::addColumn<int>("window");
    QTest::addColumn<int>("failuresToTrip");
    QTest::addRow("50%% of 10") << 50.0 << 10 << 5;
    QTest::addRow("20%% of 10") << 20.0 << 10 << 2;
    QTest::addRow("100%% of 4") << 100.0 << 4 << 4;
    QTest::addRow("33%% of 3") << 33.0 << 3 << 1;
}

void TestCircuitBreaker::failureRateTripsAtThreshold()
{
    QFETCH(double, threshold);
    QFETCH(int, window);
    QFETCH(int, failuresToTrip);
    BreakerConfig config = quietConfig();
    config.failureRateThreshold = threshold;
    config.windowSize = window;
    config.minimumCalls = window;
    ManualClock clock;

    // One failure short of the threshold over a full window: stays closed.
    CircuitBreaker below(QStringLiteral("below"), config, clock);
    succeed(below, window - failuresToTrip + 1);
    failTimes(below, failuresToTrip - 1);
    QCOMPARE(below.status().window.calls, window);
    QCOMPARE(below.state(), BreakerState::Closed);

    // Exactly at the threshold: trips on the failure that reaches it.
    CircuitBreaker at(QStringLiteral("at"), config, clock);
    succeed(at, window - failuresToTrip);
    failTimes(at, failuresToTrip);
    QCOMPARE(at.state(), BreakerState::Open);
    QCOMPARE(at.lastTransition()->reason, TransitionReason::FailureRate);
}

void TestCircuitBreaker::failureRateWaitsForMinimumCalls()
{
    BreakerConfig config = quietConfig();
    config.failureRateThreshold = 50;
    config.windowSize = 20;
    config.minimumCalls = 10;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    failTimes(breaker, 9); // 100% failures, but only 9 calls
    QCOMPARE(breaker.state(), BreakerState::Closed);
    failTimes(breaker, 1);
    QCOMPARE(breaker.state(), BreakerState::Open);
}

void TestCircuitBreaker::slowCallRateTrips()
{
    BreakerConfig config = quietConfig();
    config.slowCallRateThreshold = 50;
    config.slowCallDuration = 1s;
    config.windowSize = 4;
    config.minimumCalls = 4;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    succeed(breaker, 2, 100ms);
    succeed(breaker, 1, 1s); // slow: exactly at the duration counts
    QCOMPARE(breaker.state(), BreakerState::Closed);
    QCOMPARE(breaker.status().window.slowCalls, 1);
    succeed(breaker, 1, 2s);
    QCOMPARE(breaker.state(), BreakerState::Open);
    QCOMPARE(breaker.lastTransition()->reason, TransitionReason::SlowCallRate);
}

void TestCircuitBreaker::countWindowSlides()
{
    BreakerConfig config = quietConfig();
    config.failureRateThreshold = 50;
    config.windowSize = 4;
    config.minimumCalls = 4;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    failTimes(breaker, 1);
    succeed(breaker, 3);
    QCOMPARE(breaker.status().window.failures, 1);
    succeed(breaker, 1); // the failure slides out
    QCOMPARE(breaker.status().window.failures, 0);
    QCOMPARE(breaker.status().window.calls, 4);
    failTimes(breaker, 1);
    QCOMPARE(breaker.state(), BreakerState::Closed); // 1 of 4
    failTimes(breaker, 1);
    QCOMPARE(breaker.state(), BreakerState::Open); // 2 of 4
}

void TestCircuitBreaker::timeWindowTripsOnRecentFailures()
{
    BreakerConfig config = quietConfig();
    config.failureRateThreshold = 50;
    config.windowKind = WindowKind::Time;
    config.windowSize = 10;
    config.minimumCalls = 4;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    for (int i = 0; i < 3; ++i) {
        succeed(breaker);
        clock.advance(1s);
    }
    failTimes(breaker, 2);
    QCOMPARE(breaker.status().window.calls, 5);
    QCOMPARE(breaker.state(), BreakerState::Closed); // 2 of 5 = 40%
    failTimes(breaker, 1);
    QCOMPARE(breaker.state(), BreakerState::Open); // 3 of 6 = 50%
}

void TestCircuitBreaker::timeWindowForgetsOldFailures()
{
    BreakerConfig config = quietConfig();
    config.failureRateThreshold = 50;
    config.windowKind = WindowKind::Time;
    config.windowSize = 5;
    config.minimumCalls = 2;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    succeed(breaker, 2);
    failTimes(breaker, 1);
    QCOMPARE(breaker.state(), BreakerState::Closed); // 1 of 3
    clock.advance(4s);
    QCOMPARE(breaker.status().window.calls, 3);
    clock.advance(1s); // the first second has left the 5-second window
    QCOMPARE(breaker.status().window.calls, 0);
    succeed(breaker, 3);
    failTimes(breaker, 1);
    QCOMPARE(breaker.status().window.failures, 1);
    QCOMPARE(breaker.state(), BreakerState::Closed); // 1 of 4: the old failure is forgotten
}

void TestCircuitBreaker::openRejectsUntilWaitElapses()
{
    BreakerConfig config = consecutiveConfig(1);
    config.openWait = 10s;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    failTimes(breaker);
    QCOMPARE(breaker.state(), BreakerState::Open);
    clock.advance(9999ms);
    QVERIFY(!breaker.tryAcquire());
    QCOMPARE(breaker.state(), BreakerState::Open);
    clock.advance(1ms);
    QCOMPARE(breaker.state(), BreakerState::HalfOpen);
    QCOMPARE(breaker.lastTransition()->reason, TransitionReason::OpenWaitElapsed);
}

void TestCircuitBreaker::halfOpenPermitsExactlyN()
{
    BreakerConfig config = consecutiveConfig(1);
    config.halfOpenPermits = 3;
    config.halfOpenSuccesses = 3;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    failTimes(breaker);
    clock.advance(config.openWait);
    QCOMPARE(breaker.state(), BreakerState::HalfOpen);
    std::vector<Permit> permits;
    for (int i = 0; i < 10; ++i)
        permits.push_back(breaker.tryAcquire());
    const auto granted =
        std::count_if(permits.begin(), permits.end(), [](const Permit& p) { return bool(p); });
    QCOMPARE(granted, 3);
    QCOMPARE(breaker.status().halfOpenPermitsLeft, 0);
}

void TestCircuitBreaker::halfOpenClosesAfterSuccesses()
{
    BreakerConfig config = consecutiveConfig(1);
    config.halfOpenPermits = 3;
    config.halfOpenSuccesses = 2;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    failTimes(breaker);
    clock.advance(config.openWait);
    const Permit first = breaker.tryAcquire();
    const Permit second = breaker.tryAcquire();
    breaker.onSuccess(first, 1ms);
    QCOMPARE(breaker.state(), BreakerState::HalfOpen);
    QCOMPARE(breaker.status().halfOpenSuccesses, 1);
    breaker.onSuccess(second, 1ms);
    QCOMPARE(breaker.state(), BreakerState::Closed);
    QCOMPARE(breaker.lastTransition()->reason, TransitionReason::HalfOpenSucceeded);
    QCOMPARE(breaker.status().window.calls, 0); // a fresh window after recovery
}

void TestCircuitBreaker::halfOpenFailureReopens()
{
    BreakerConfig config = consecutiveConfig(1);
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    failTimes(breaker);
    clock.advance(config.openWait);
    const Permit trial = breaker.tryAcquire();
    succeed(breaker);
    breaker.onFailure(trial, 1ms);
    QCOMPARE(breaker.state(), BreakerState::Open);
    QCOMPARE(breaker.lastTransition()->reason, TransitionReason::HalfOpenCallFailed);
}

void TestCircuitBreaker::halfOpenSlowCallReopens()
{
    BreakerConfig config = consecutiveConfig(1);
    config.slowCallRateThreshold = 50;
    config.slowCallDuration = 1s;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    failTimes(breaker);
    clock.advance(config.openWait);
    breaker.onSuccess(breaker.tryAcquire(), 3s);
    QCOMPARE(breaker.state(), BreakerState::Open);
    QCOMPARE(breaker.lastTransition()->reason, TransitionReason::HalfOpenCallSlow);
}

void TestCircuitBreaker::halfOpenWatchdogReopens()
{
    BreakerConfig config = consecutiveConfig(1);
    config.maxHalfOpenWait = 30s;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    failTimes(breaker);
    clock.advance(config.openWait);
    const Permit lost = breaker.tryAcquire(); // a trial call that never reports back
    QVERIFY(lost);
    clock.advance(29s);
    QCOMPARE(breaker.state(), BreakerState::HalfOpen);
    clock.advance(1s);
    QCOMPARE(breaker.state(), BreakerState::Open);
    QCOMPARE(breaker.lastTransition()->reason, TransitionReason::HalfOpenTimedOut);
    breaker.onSuccess(lost, 1ms); // too late: ignored
    QCOMPARE(breaker.state(), BreakerState::Open);
}

void TestCircuitBreaker::releaseReturnsHalfOpenPermit()
{
    BreakerConfig config = consecutiveConfig(1);
    config.halfOpenPermits = 1;
    config.halfOpenSuccesses = 1;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    failTimes(breaker);
    clock.advance(config.openWait);
    const Permit trial = breaker.tryAcquire();
    QVERIFY(!breaker.tryAcquire());
    breaker.release(trial);
    breaker.release(trial); // a second release must not mint an extra permit
    QCOMPARE(breaker.status().halfOpenPermitsLeft, 1);
    const Permit again = breaker.tryAcquire();
    QVERIFY(again);
    breaker.onSuccess(again, 1ms);
    QCOMPARE(breaker.state(), BreakerState::Closed);
}

void TestCircuitBreaker::openWaitGrowsAcrossTrips()
{
    BreakerConfig config = consecutiveConfig(1);
    config.openWait = 1s;
    config.openWaitMultiplier = 2.0;
    config.maxOpenWait = 5s;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    TransitionLog log(breaker);
    failTimes(breaker);
    for (int trip = 0; trip < 4; ++trip) {
        clock.advance(log.transitions.back().openWait);
        QCOMPARE(breaker.state(), BreakerState::HalfOpen);
        failTimes(breaker); // the trial fails: open again, for longer
    }
    std::vector<Duration> waits;
    for (const auto& t : log.transitions) {
        if (t.to == BreakerState::Open)
            waits.push_back(t.openWait);
    }
    const std::vector<Duration> expected{1s, 2s, 4s, 5s, 5s};
    QCOMPARE(waits, expected);
}

void TestCircuitBreaker::openWaitResetsAfterClosing()
{
    BreakerConfig config = consecutiveConfig(1);
    config.openWait = 1s;
    config.openWaitMultiplier = 3.0;
    config.halfOpenSuccesses = 1;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    TransitionLog log(breaker);
    failTimes(breaker);
    clock.advance(1s);
    failTimes(breaker);
    QCOMPARE(log.transitions.back().openWait, Duration(3s));
    clock.advance(3s);
    succeed(breaker);
    QCOMPARE(breaker.state(), BreakerState::Closed);
    failTimes(breaker);
    QCOMPARE(log.transitions.back().openWait, Duration(1s));
}

void TestCircuitBreaker::staleResultsAreDropped()
{
    BreakerConfig config = consecutiveConfig(2);
    config.halfOpenSuccesses = 1;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    const Permit slowCall = breaker.tryAcquire(); // starts before the outage, ends after it
    failTimes(breaker, 2);
    clock.advance(config.openWait);
    succeed(breaker);
    QCOMPARE(breaker.state(), BreakerState::Closed);
    breaker.onFailure(slowCall, 1ms);
    QCOMPARE(breaker.status().window.failures, 0);
    QCOMPARE(breaker.status().consecutiveFailures, 0);
}

void TestCircuitBreaker::forcedOpenRejectsAndHolds()
{
    BreakerConfig config = consecutiveConfig(1);
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    failTimes(breaker);
    breaker.forceOpen();
    QCOMPARE(breaker.state(), BreakerState::ForcedOpen);
    QCOMPARE(breaker.lastTransition()->reason, TransitionReason::ForcedOpen);
    clock.advance(1h); // the open wait's timer must not release it
    breaker.onHealthProbe(breaker.generation(), true);
    QCOMPARE(breaker.state(), BreakerState::ForcedOpen);
    QVERIFY(!breaker.tryAcquire());
    QCOMPARE(clock.pendingTimers(), 0);
}

void TestCircuitBreaker::disabledPermitsAndRecordsNothing()
{
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), consecutiveConfig(1), clock);
    breaker.disable();
    QCOMPARE(breaker.state(), BreakerState::Disabled);
    failTimes(breaker, 100);
    QCOMPARE(breaker.state(), BreakerState::Disabled);
    QCOMPARE(breaker.status().window.calls, 0);
    QVERIFY(breaker.tryAcquire());
}

void TestCircuitBreaker::resetClosesFromAnyState_data()
{
    QTest::addColumn<int>("setup");
    QTest::addRow("open") << 0;
    QTest::addRow("half_open") << 1;
    QTest::addRow("forced_open") << 2;
    QTest::addRow("disabled") << 3;
}

void TestCircuitBreaker::resetClosesFromAnyState()
{
    QFETCH(int, setup);
    BreakerConfig config = consecutiveConfig(1);
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    failTimes(breaker);
    if (setup == 1)
        clock.advance(config.openWait);
    if (setup == 2)
        breaker.forceOpen();
    if (setup == 3)
        breaker.disable();
    breaker.reset();
    QCOMPARE(breaker.state(), BreakerState::Closed);
    QCOMPARE(breaker.lastTransition()->reason, TransitionReason::ForcedClosed);
    QCOMPARE(breaker.status().window.calls, 0);
    QVERIFY(breaker.tryAcquire());
    clock.advance(1h); // no stale timer may reopen or half-open it
    QCOMPARE(breaker.state(), BreakerState::Closed);
}

void TestCircuitBreaker::resetWhileClosedClearsWindow()
{
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), consecutiveConfig(3), clock);
    TransitionLog log(breaker);
    failTimes(breaker, 2);
    breaker.reset();
    QCOMPARE(breaker.status().window.calls, 0);
    QCOMPARE(breaker.status().consecutiveFailures, 0);
    QVERIFY(log.transitions.empty());
    failTimes(breaker, 2);
    QCOMPARE(breaker.state(), BreakerState::Closed);
}

void TestCircuitBreaker::transitionCarriesSnapshot()
{
    BreakerConfig config = quietConfig();
    config.failureRateThreshold = 50;
    config.windowSize = 10;
    config.minimumCalls = 10;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    succeed(breaker, 4);
    failTimes(breaker, 6);
    const BreakerTransition t = *breaker.lastTransition();
    QCOMPARE(t.service, QStringLiteral("tts"));
    QCOMPARE(t.from, BreakerState::Closed);
    QCOMPARE(t.to, BreakerState::Open);
    QCOMPARE(t.window.counts.calls, 10);
    QCOMPARE(t.window.counts.failures, 6); // judged once the window held minimum_calls
    QCOMPARE(t.window.failureRateThreshold, 50.0);
    QCOMPARE(t.window.minimumCalls, 10);
    QCOMPARE(t.window.windowSize, 10);
    QCOMPARE(t.openWait, config.openWait);
    QCOMPARE(t.at, clock.now());
    QCOMPARE(t.generation, std::uint64_t{1});
}

void TestCircuitBreaker::describeTransitionExplains()
{
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), consecutiveConfig(3), clock);
    failTimes(breaker, 3);
    const QString why = describeTransition(*breaker.lastTransition());
    QVERIFY2(why.contains(QStringLiteral("3 consecutive failures (threshold 3)")), qPrintable(why));
    QVERIFY2(why.contains(QStringLiteral("open for 10.0 s")), qPrintable(why));
}

void TestCircuitBreaker::statusReportsOpenUntilAndPermits()
{
    BreakerConfig config = consecutiveConfig(1);
    config.openWait = 7s;
    config.halfOpenPermits = 4;
    config.halfOpenSuccesses = 4;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    failTimes(breaker);
    QCOMPARE(breaker.status().openUntil, clock.now() + 7s);
    clock.advance(7s);
    breaker.tryAcquire();
    const BreakerStatus status = breaker.status();
    QCOMPARE(status.state, BreakerState::HalfOpen);
    QCOMPARE(status.halfOpenPermitsLeft, 3);
    QCOMPARE(status.generation, std::uint64_t{2});
}

void TestCircuitBreaker::listenerSeesTransitionsInOrder()
{
    BreakerConfig config = consecutiveConfig(1);
    config.halfOpenSuccesses = 1;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    TransitionLog log(breaker);
    failTimes(breaker);
    clock.advance(config.openWait);
    succeed(breaker);
    QCOMPARE(log.transitions.size(), std::size_t{3});
    const std::vector<BreakerState> expected{BreakerState::Open, BreakerState::HalfOpen,
                                             BreakerState::Closed};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        QCOMPARE(log.transitions[i].to, expected[i]);
        QCOMPARE(log.transitions[i].generation, i + 1);
    }
}

void TestCircuitBreaker::healthProbeOnlyMovesOpenAndHalfOpen()
{
    BreakerConfig config = consecutiveConfig(1);
    config.halfOpenSuccesses = 2;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    breaker.onHealthProbe(breaker.generation(), false);
    QCOMPARE(breaker.state(), BreakerState::Closed);
    failTimes(breaker);
    breaker.onHealthProbe(breaker.generation(), false);
    QCOMPARE(breaker.state(), BreakerState::Open);
    breaker.onHealthProbe(breaker.generation(), true);
    QCOMPARE(breaker.state(), BreakerState::HalfOpen);
    QCOMPARE(breaker.lastTransition()->reason, TransitionReason::HealthProbeSucceeded);
    breaker.onHealthProbe(breaker.generation(), true);
    QCOMPARE(breaker.state(), BreakerState::HalfOpen);
    breaker.onHealthProbe(breaker.generation(), true);
    QCOMPARE(breaker.state(), BreakerState::Closed);
    failTimes(breaker);
    breaker.onHealthProbe(breaker.generation(), true, /*closeOnHealthy=*/true);
    QCOMPARE(breaker.state(), BreakerState::Closed);
}

void TestCircuitBreaker::staleHealthProbeIsDropped()
{
    BreakerConfig config = consecutiveConfig(1);
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    const std::uint64_t probeSetOut = breaker.generation(); // while closed and healthy
    failTimes(breaker);
    breaker.onHealthProbe(probeSetOut, true); // answers after the trip
    QCOMPARE(breaker.state(), BreakerState::Open);
    breaker.onHealthProbe(breaker.generation(), true);
    QCOMPARE(breaker.state(), BreakerState::HalfOpen);
}

void TestCircuitBreaker::successBringingWindowToMinimumTrips()
{
    BreakerConfig config = quietConfig();
    config.failureRateThreshold = 50;
    config.windowSize = 4;
    config.minimumCalls = 4;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    failTimes(breaker, 3);
    QCOMPARE(breaker.state(), BreakerState::Closed); // 3 calls: below minimum_calls
    succeed(breaker);                                // 3 failures of 4 calls: 75%
    QCOMPARE(breaker.state(), BreakerState::Open);
    QCOMPARE(breaker.lastTransition()->reason, TransitionReason::FailureRate);
}

void TestCircuitBreaker::timeWindowTripsWhenSuccessesSlideOut()
{
    BreakerConfig config = quietConfig();
    config.failureRateThreshold = 50;
    config.windowKind = WindowKind::Time;
    config.windowSize = 3;
    config.minimumCalls = 2;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    succeed(breaker, 3);
    clock.advance(1s);
    failTimes(breaker, 2);
    QCOMPARE(breaker.state(), BreakerState::Closed); // 2 of 5
    clock.advance(2s);                               // the three successes leave the window
    succeed(breaker);                                // 2 failures of 3 calls
    QCOMPARE(breaker.state(), BreakerState::Open);
}

void TestCircuitBreaker::resetWhileClosedDropsCallsInFlight()
{
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), consecutiveConfig(2), clock);
    const Permit before = breaker.tryAcquire();
    failTimes(breaker);
    breaker.reset();
    breaker.onFailure(before, 1ms); // permitted before the reset: says nothing about the present
    QCOMPARE(breaker.status().window.calls, 0);
    failTimes(breaker);
    QCOMPARE(breaker.state(), BreakerState::Closed);
}

void TestCircuitBreaker::configValidation_data()
{
    QTest::addColumn<BreakerConfig>("config");
    QTest::addColumn<QString>("expectedKey");
    const BreakerConfig good;
    QTest::addRow("defaults") << good << QString();
    BreakerConfig c = good;
    c.consecutiveFailures = -1;
    QTest::addRow("negative consecutive") << c << QStringLiteral("consecutive_failures");
    c = good;
    c.failureRateThreshold = 101;
    QTest::addRow("rate above 100") << c << QStringLiteral("failure_rate_threshold");
    c = good;
    c.slowCallRateThreshold = -5;
    QTest::addRow("negative slow rate") << c << QStringLiteral("slow_call_rate_threshold");
    c = quietConfig();
    QTest::addRow("nothing trips") << c << QStringLiteral("at least one");
    c = good;
    c.windowSize = 0;
    QTest::addRow("empty window") << c << QStringLiteral("window_size");
    c = good;
    c.windowSize = 70000;
    QTest::addRow("huge count window") << c << QStringLiteral("window_size");
    c = good;
    c.windowKind = WindowKind::Time;
    c.windowSize = 4000;
    QTest::addRow("huge time window") << c << QStringLiteral("window_size");
    c = good;
    c.minimumCalls = 30;
    QTest::addRow("minimum above window") << c << QStringLiteral("minimum_calls");
    c = good;
    c.openWait = 0s;
    QTest::addRow("zero open wait") << c << QStringLiteral("open_wait_ms");
    c = good;
    c.openWaitMultiplier = 0.5;
    QTest::addRow("shrinking wait") << c << QStringLiteral("open_wait_multiplier");
    c = good;
    c.maxOpenWait = 1s;
    QTest::addRow("cap below wait") << c << QStringLiteral("max_open_wait_ms");
    c = good;
    c.halfOpenPermits = 0;
    QTest::addRow("no permits") << c << QStringLiteral("half_open_permits");
    c = good;
    c.halfOpenSuccesses = 4;
    QTest::addRow("successes above permits") << c << QStringLiteral("half_open_successes");
    c = good;
    c.maxHalfOpenWait = -1s;
    QTest::addRow("negative watchdog") << c << QStringLiteral("max_half_open_wait_ms");
}

void TestCircuitBreaker::configValidation()
{
    QFETCH(BreakerConfig, config);
    QFETCH(QString, expectedKey);
    const QString problem = validateBreakerConfig(config);
    if (expectedKey.isEmpty())
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    else
        QVERIFY2(problem.contains(expectedKey), qPrintable(problem));
}

QTEST_APPLESS_MAIN(TestCircuitBreaker)
#include "tst_circuitbreaker.moc"
