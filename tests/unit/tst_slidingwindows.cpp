#include "breaker/countwindow.h"
#include "breaker/fastmodulo.h"
#include "breaker/timewindow.h"
#include "clock/manualclock.h"

#include <QTest>

#include <random>

using namespace std::chrono_literals;
using namespace breakwater;

class TestSlidingWindows : public QObject
{
    Q_OBJECT

private slots:
    void fastModuloMatchesOperator_data();
    void fastModuloMatchesOperator();
    void countWindowFillsThenSlides();
    void countWindowTracksSlowCalls();
    void countWindowResetStartsEmpty();
    void countWindowManyResets();
    void timeWindowSumsRecentSeconds();
    void timeWindowRecyclesBuckets();
    void timeWindowResetStartsEmpty();
    void timeWindowDropsSamplesOlderThanBucket();
};

void TestSlidingWindows::fastModuloMatchesOperator_data()
{
    QTest::addColumn<quint32>("divisor");
    for (quint32 d : {1U, 2U, 3U, 7U, 10U, 20U, 100U, 1000U, 3600U, 65535U})
        QTest::addRow("%u", d) << d;
}

void TestSlidingWindows::fastModuloMatchesOperator()
{
    QFETCH(quint32, divisor);
    const FastModulo mod(divisor);
    std::mt19937 random(divisor);
    for (int i = 0; i < 100000; ++i) {
        const std::uint32_t n = random();
        QCOMPARE(mod(n), n % divisor);
    }
    for (std::uint32_t n : {0U, 1U, divisor - 1, divisor, UINT32_MAX, UINT32_MAX - 1})
        QCOMPARE(mod(n), n % divisor);
}

void TestSlidingWindows::countWindowFillsThenSlides()
{
    CountWindow window(3);
    QCOMPARE(window.record({true, false}).calls, 1);
    window.record({false, false});
    const WindowCounts full = window.record({false, false});
    QCOMPARE(full.calls, 3);
    QCOMPARE(full.failures, 1);
    const WindowCounts slid = window.record({false, false}); // displaces the failure
    QCOMPARE(slid.calls, 3);
    QCOMPARE(slid.failures, 0);
    QCOMPARE(window.record({true, false}).failures, 1);
    QCOMPARE(window.counts().failures, 1);
}

void TestSlidingWindows::countWindowTracksSlowCalls()
{
    CountWindow window(2);
    window.record({false, true});
    QCOMPARE(window.record({true, true}).slowCalls, 2);
    const WindowCounts counts = window.record({false, false});
    QCOMPARE(counts.slowCalls, 1);
    QCOMPARE(counts.failures, 1);
    QCOMPARE(counts.slowCallRate(), 50.0);
}

void TestSlidingWindows::countWindowResetStartsEmpty()
{
    CountWindow window(4);
    for (int i = 0; i < 4; ++i)
        window.record({true, true});
    window.reset();
    QCOMPARE(window.counts().calls, 0);
    // Slots from the old epoch count as empty when displaced: no negative totals.
    const WindowCounts counts = window.record({false, false});
    QCOMPARE(counts.calls, 1);
    QCOMPARE(counts.failures, 0);
    QCOMPARE(counts.slowCalls, 0);
}

void TestSlidingWindows::countWindowManyResets()
{
    // The epoch is 16 bits wide: wrapping it must not confuse the totals.
    CountWindow window(5);
    for (int round = 0; round < 70000; ++round) {
        window.record({round % 2 == 0, false});
        window.reset();
    }
    QCOMPARE(window.counts().calls, 0);
    for (int i = 0; i < 7; ++i)
        window.record({false, false});
    QCOMPARE(window.counts().calls, 5);
}

void TestSlidingWindows::timeWindowSumsRecentSeconds()
{
    ManualClock clock;
    TimeWindow window(3);
    window.record({true, false}, clock.now());
    clock.advance(1s);
    window.record({false, true}, clock.now());
    window.record({false, false}, clock.now());
    const WindowCounts counts = window.counts(clock.now());
    QCOMPARE(counts.calls, 3);
    QCOMPARE(counts.failures, 1);
    QCOMPARE(counts.slowCalls, 1);
    clock.advance(2s); // the first second leaves the window
    QCOMPARE(window.counts(clock.now()).calls, 2);
    clock.advance(1s);
    QCOMPARE(window.counts(clock.now()).calls, 0);
}

void TestSlidingWindows::timeWindowRecyclesBuckets()
{
    ManualClock clock;
    TimeWindow window(2);
    for (int second = 0; second < 10; ++second) {
        for (int i = 0; i <= second; ++i)
            window.record({i == 0, false}, clock.now());
        // This second and the one before: (second + 1) + second calls.
        const WindowCounts counts = window.counts(clock.now());
        QCOMPARE(counts.calls, second == 0 ? 1 : 2 * second + 1);
        QCOMPARE(counts.failures, second == 0 ? 1 : 2);
        clock.advance(1s);
    }
}

void TestSlidingWindows::timeWindowResetStartsEmpty()
{
    ManualClock clock;
    TimeWindow window(5);
    window.record({true, true}, clock.now());
    window.reset();
    QCOMPARE(window.counts(clock.now()).calls, 0);
    window.record({false, false}, clock.now());
    const WindowCounts counts = window.counts(clock.now());
    QCOMPARE(counts.calls, 1);
    QCOMPARE(counts.failures, 0);
}

void TestSlidingWindows::timeWindowDropsSamplesOlderThanBucket()
{
    ManualClock clock;
    TimeWindow window(2);
    const TimePoint stalled = clock.now();
    clock.advance(2s); // same bucket index as `stalled`, two seconds later
    window.record({false, false}, clock.now());
    window.record({true, false}, stalled); // a caller that stalled for a whole window
    const WindowCounts counts = window.counts(clock.now());
    QCOMPARE(counts.calls, 1);
    QCOMPARE(counts.failures, 0);
}

QTEST_APPLESS_MAIN(TestSlidingWindows)
#include "tst_slidingwindows.moc"
