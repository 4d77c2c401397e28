#include "breaker/circuitbreaker.h"
#include "breakerhelpers.h"
#include "clock/manualclock.h"

#include <QTest>

#include <atomic>
#include <barrier>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using namespace breakwater;
using namespace breakwater::testing;

namespace {
constexpr int kThreads = 4;

// Runs body(threadIndex) on kThreads plain threads that start together.
template <typename Body> void runTogether(Body body)
{
    std::barrier start(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            start.arrive_and_wait();
            body(t);
        });
    }
    for (auto& thread : threads)
        thread.join();
}
} // namespace

class TestBreakerStress : public QObject
{
    Q_OBJECT

private slots:
    void halfOpenGrantsExactlyNUnderContention_data();
    void halfOpenGrantsExactlyNUnderContention();
    void countWindowKeepsExactTotals();
    void countWindowStaysExactAcrossResets();
    void timeWindowSurvivesRecyclingRaces();
    void concurrentFailuresTripOnce();
    void hammeringThroughOutagesStaysConsistent();
};

void TestBreakerStress::halfOpenGrantsExactlyNUnderContention_data()
{
    QTest::addColumn<int>("permits");
    for (int permits : {1, 2, 5, 50})
        QTest::addRow("%d permits", permits) << permits;
}

void TestBreakerStress::halfOpenGrantsExactlyNUnderContention()
{
    QFETCH(int, permits);
    BreakerConfig config = consecutiveConfig(1);
    config.halfOpenPermits = permits;
    config.halfOpenSuccesses = permits;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    for (int round = 0; round < 200; ++round) {
        failTimes(breaker);
        clock.advance(config.openWait);
        QCOMPARE(breaker.state(), BreakerState::HalfOpen);
        std::atomic<int> granted{0};
        runTogether([&](int) {
            for (int i = 0; i < 100; ++i) {
                if (breaker.tryAcquire())
                    granted.fetch_add(1, std::memory_order_relaxed);
            }
        });
        QCOMPARE(granted.load(), permits);
        breaker.reset();
    }
}

void TestBreakerStress::countWindowKeepsExactTotals()
{
    CountWindow window(64);
    runTogether([&](int t) {
        for (int i = 0; i < 200000; ++i)
            window.record({(i + t) % 3 == 0, (i + t) % 5 == 0});
    });
    // Whatever interleaving happened, displacing every slot with known outcomes must leave exact
    // totals: any drift in the lock-free bookkeeping would survive this.
    for (int i = 0; i < 64; ++i)
        window.record({i < 10, i < 3});
    const WindowCounts counts = window.counts();
    QCOMPARE(counts.calls, 64);
    QCOMPARE(counts.failures, 10);
    QCOMPARE(counts.slowCalls, 3);
}

void TestBreakerStress::countWindowStaysExactAcrossResets()
{
    // Records racing resets: a record that started in one epoch and lands in the next must neither
    // leak its sample into the new totals nor strand one of the new epoch's samples there.
    for (int round = 0; round < 20; ++round) {
        CountWindow window(2);
        std::atomic<bool> writing{true};
        std::thread resetter([&] {
            while (writing.load(std::memory_order_relaxed))
                window.reset();
        });
        runTogether([&](int t) {
            for (int i = 0; i < 20000; ++i)
                window.record({(i + t) % 2 == 0, false});
        });
        writing = false;
        resetter.join();
        window.record({true, false});
        window.record({false, false});
        const WindowCounts counts = window.counts();
        QCOMPARE(counts.calls, 2);
        QCOMPARE(counts.failures, 1);
    }
}

void TestBreakerStress::timeWindowSurvivesRecyclingRaces()
{
    ManualClock clock;
    TimeWindow window(3);
    std::atomic<bool> done{false};
    std::thread ticker([&] {
        while (!done.load(std::memory_order_relaxed)) {
            clock.advance(250ms);
            std::this_thread::yield();
        }
    });
    runTogether([&](int t) {
        for (int i = 0; i < 100000; ++i)
            window.record({(i + t) % 2 == 0, false}, clock.now());
    });
    done = true;
    ticker.join();
    const WindowCounts counts = window.counts(clock.now());
    QVERIFY(counts.calls >= 0 && counts.calls <= kThreads * 100000);
    QVERIFY(counts.failures <= counts.calls);
    // Once time moves past the window, nothing of the race remains.
    clock.advance(3s);
    QCOMPARE(window.counts(clock.now()).calls, 0);
    window.record({true, false}, clock.now());
    QCOMPARE(window.counts(clock.now()).failures, 1);
}

void TestBreakerStress::concurrentFailuresTripOnce()
{
    BreakerConfig config = consecutiveConfig(10);
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    std::atomic<int> opened{0};
    breaker.setTransitionListener([&](const BreakerTransition& t) {
        if (t.to == BreakerState::Open)
            opened.fetch_add(1, std::memory_order_relaxed);
    });
    for (int round = 0; round < 100; ++round) {
        runTogether([&](int) { failTimes(breaker, 50); });
        QCOMPARE(breaker.state(), BreakerState::Open);
        QCOMPARE(opened.load(), round + 1);
        breaker.reset();
    }
}

void TestBreakerStress::hammeringThroughOutagesStaysConsistent()
{
    BreakerConfig config = quietConfig();
    config.consecutiveFailures = 20;
    config.failureRateThreshold = 50;
    config.windowSize = 100;
    config.minimumCalls = 20;
    config.openWait = 10ms;
    config.halfOpenPermits = 4;
    config.halfOpenSuccesses = 2;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    std::atomic<std::uint64_t> lastGeneration{0};
    std::atomic<bool> outOfOrder{false};
    breaker.setTransitionListener([&](const BreakerTransition& t) {
        // Transitions are reported one at a time, in generation order.
        if (t.generation <= lastGeneration.exchange(t.generation))
            outOfOrder = true;
    });
    // Time moves on its own thread, so open waits and watchdogs fire there, racing the callers.
    std::atomic<bool> done{false};
    std::thread timeKeeper([&] {
        while (!done.load()) {
            clock.advance(1ms);
            std::this_thread::yield();
        }
    });
    std::atomic<int> granted{0};
    runTogether([&](int) {
        for (int i = 0; i < 100000; ++i) {
            const Permit permit = breaker.tryAcquire();
            if (!permit)
                continue;
            granted.fetch_add(1, std::memory_order_relaxed);
            const bool outage = (i / 5000) % 2 == 1; // alternating healthy and failing spells
            if (outage && i % 4 != 0)
                breaker.onFailure(permit, 1ms);
            else if (i % 97 == 0)
                breaker.release(permit);
            else
                breaker.onSuccess(permit, 1ms);
        }
    });
    done = true;
    timeKeeper.join();
    QVERIFY(!outOfOrder.load());
    QVERIFY(granted.load() > 0);
    const BreakerStatus status = breaker.status();
    QVERIFY(status.window.calls <= config.windowSize);
    QVERIFY(status.window.failures <= status.window.calls);
    QVERIFY(status.halfOpenPermitsLeft <= config.halfOpenPermits);
    QVERIFY(status.generation > 0); // the outages did trip it
}

QTEST_APPLESS_MAIN(TestBreakerStress)
#include "tst_breakerstress.moc"
