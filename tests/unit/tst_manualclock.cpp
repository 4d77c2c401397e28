#include "clock/manualclock.h"

#include <QSet>
#include <QTest>

#include <atomic>
#include <chrono>
#include <functional>
#include <limits>
#include <thread>
#include <vector>

using namespace breakwater;
using namespace std::chrono_literals;

namespace {

qint64 nsOf(Duration duration)
{
    return static_cast<qint64>(duration.count());
}

Duration msDuration(int ms)
{
    return std::chrono::milliseconds(ms);
}

} // namespace

class TestManualClock final : public QObject
{
    Q_OBJECT

private slots:
    void startsIdle();
    void advanceMovesTimeExactly_data();
    void advanceMovesTimeExactly();
    void advancesAccumulate();
    void timersFireInDueOrder_data();
    void timersFireInDueOrder();
    void callbackSeesItsDueTime();
    void timerFiresOnlyWhenDue();
    void nestedScheduleWithinStep_data();
    void nestedScheduleWithinStep();
    void cancelBeforeFiring();
    void cancelOfStaleIdIsHarmless();
    void callbackMayCancelPendingTimer_data();
    void callbackMayCancelPendingTimer();
    void advanceToNextTimer();
    void pendingTimersCounts();
    void nonPositiveDelayFiresOnAdvanceZero_data();
    void nonPositiveDelayFiresOnAdvanceZero();
    void idsAreUniqueAndNonZero();
    void scheduleFromSeveralThreads();
    void concurrentAdvancesNeverGoBack();
    void tenMinutesOfOneSecondTicks_data();
    void tenMinutesOfOneSecondTicks();
};

void TestManualClock::startsIdle()
{
    ManualClock clock;
    QCOMPARE(nsOf(clock.elapsed()), 0);
    QCOMPARE(clock.pendingTimers(), 0);
    QVERIFY(!clock.advanceToNextTimer());
    QCOMPARE(clock.advance(0ns), 0);
    QCOMPARE(nsOf(clock.elapsed()), 0);
    // Far from the epoch, so subtracting a long window from now() stays positive.
    QVERIFY(clock.now().time_since_epoch() > std::chrono::hours(24));
}

void TestManualClock::advanceMovesTimeExactly_data()
{
    QTest::addColumn<qint64>("stepNs");
    QTest::addColumn<qint64>("movedNs");

    QTest::addRow("zero") << qint64(0) << qint64(0);
    QTest::addRow("1 ns") << qint64(1) << qint64(1);
    QTest::addRow("1 ms") << nsOf(1ms) << nsOf(1ms);
    QTest::addRow("1.5 s") << nsOf(1500ms) << nsOf(1500ms);
    QTest::addRow("1 hour") << nsOf(1h) << nsOf(1h);
    QTest::addRow("30 days") << nsOf(std::chrono::hours(24 * 30))
                             << nsOf(std::chrono::hours(24 * 30));
    QTest::addRow("negative does not go back") << -nsOf(1s) << qint64(0);
}

void TestManualClock::advanceMovesTimeExactly()
{
    QFETCH(qint64, stepNs);
    QFETCH(qint64, movedNs);

    ManualClock clock;
    const TimePoint before = clock.now();
    const WallTime wallBefore = clock.wallNow();

    QCOMPARE(clock.advance(Duration(stepNs)), 0);

    QCOMPARE(nsOf(clock.now() - before), movedNs);
    QCOMPARE(nsOf(clock.elapsed()), movedNs);
    QCOMPARE(nsOf(clock.wallNow() - wallBefore), movedNs);
}

void TestManualClock::advancesAccumulate()
{
    ManualClock clock;
    const TimePoint start = clock.now();
    const WallTime wallStart = clock.wallNow();
    Duration total{0};
    for (int i = 1; i <= 100; ++i) {
        clock.advance(msDuration(i));
        total += msDuration(i);
        QCOMPARE(nsOf(clock.now() - start), nsOf(total));
        QCOMPARE(nsOf(clock.wallNow() - wallStart), nsOf(total));
    }
    QCOMPARE(nsOf(clock.elapsed()), nsOf(5050ms));
}

void TestManualClock::timersFireInDueOrder_data()
{
    QTest::addColumn<QList<int>>("delaysMs");
    QTest::addColumn<QList<int>>("expectedOrder"); // indexes into delaysMs

    QTest::addRow("ascending") << QList<int>{10, 20, 30} << QList<int>{0, 1, 2};
    QTest::addRow("descending") << QList<int>{30, 20, 10} << QList<int>{2, 1, 0};
    QTest::addRow("ties keep scheduling order")
        << QList<int>{50, 50, 50, 50} << QList<int>{0, 1, 2, 3};
    QTest::addRow("mixed with ties")
        << QList<int>{40, 10, 40, 0, 10, 25} << QList<int>{3, 1, 4, 5, 0, 2};
    QTest::addRow("single") << QList<int>{7} << QList<int>{0};
}

void TestManualClock::timersFireInDueOrder()
{
    QFETCH(QList<int>, delaysMs);
    QFETCH(QList<int>, expectedOrder);

    ManualClock clock;
    QList<int> fired;
    for (int i = 0; i < delaysMs.size(); ++i)
        clock.schedule(msDuration(delaysMs.at(i)), [&fired, i] { fired.append(i); });

    QCOMPARE(clock.advance(1s), int(delaysMs.size()));
    QCOMPARE(fired, expectedOrder);
    QCOMPARE(clock.pendingTimers(), 0);
}

void TestManualClock::callbackSeesItsDueTime()
{
    ManualClock clock;
    const TimePoint start = clock.now();
    const WallTime wallStart = clock.wallNow();
    const QList<int> delaysMs{5, 1, 999, 500, 500, 1000};
    QList<qint64> seenNs;
    QList<qint64> seenWallNs;
    for (int delay : delaysMs) {
        clock.schedule(msDuration(delay), [&] {
            seenNs.append(nsOf(clock.now() - start));
            seenWallNs.append(nsOf(clock.wallNow() - wallStart));
        });
    }

    QCOMPARE(clock.advance(1s), int(delaysMs.size()));

    const QList<qint64> expected{nsOf(1ms),   nsOf(5ms),   nsOf(500ms),
                                 nsOf(500ms), nsOf(999ms), nsOf(1000ms)};
    QCOMPARE(seenNs, expected);
    QCOMPARE(seenWallNs, expected);
    QCOMPARE(nsOf(clock.elapsed()), nsOf(1s));
}

void TestManualClock::timerFiresOnlyWhenDue()
{
    ManualClock clock;
    bool fired = false;
    clock.schedule(100ms, [&fired] { fired = true; });

    QCOMPARE(clock.advance(99ms), 0);
    QVERIFY(!fired);
    QCOMPARE(clock.advance(999us), 0);
    QVERIFY(!fired);
    QCOMPARE(clock.advance(1us), 1); // exactly at the due time
    QVERIFY(fired);
    QCOMPARE(clock.advance(1h), 0); // once only
}

void TestManualClock::nestedScheduleWithinStep_data()
{
    QTest::addColumn<int>("innerDelayMs");
    QTest::addColumn<int>("firedInFirstAdvance");

    // The outer timer fires at 400 ms of a 1000 ms step.
    QTest::addRow("zero delay") << 0 << 2;
    QTest::addRow("well within the step") << 100 << 2;
    QTest::addRow("exactly at the end of the step") << 600 << 2;
    QTest::addRow("just beyond the step") << 601 << 1;
    QTest::addRow("far beyond the step") << 10'000 << 1;
}

void TestManualClock::nestedScheduleWithinStep()
{
    QFETCH(int, innerDelayMs);
    QFETCH(int, firedInFirstAdvance);

    ManualClock clock;
    const TimePoint start = clock.now();
    TimePoint innerSaw{};
    bool innerFired = false;
    clock.schedule(400ms, [&] {
        clock.schedule(msDuration(innerDelayMs), [&] {
            innerFired = true;
            innerSaw = clock.now();
        });
    });

    QCOMPARE(clock.advance(1s), firedInFirstAdvance);
    QCOMPARE(nsOf(clock.elapsed()), nsOf(1s));
    QCOMPARE(innerFired, firedInFirstAdvance == 2);
    QCOMPARE(clock.pendingTimers(), firedInFirstAdvance == 2 ? 0 : 1);

    if (!innerFired) {
        QVERIFY(clock.advanceToNextTimer());
        QVERIFY(innerFired);
    }
    QCOMPARE(nsOf(innerSaw - start), nsOf(400ms + msDuration(innerDelayMs)));
}

void TestManualClock::cancelBeforeFiring()
{
    ManualClock clock;
    bool cancelledFired = false;
    bool keptFired = false;
    const TimerId cancelled = clock.schedule(10ms, [&cancelledFired] { cancelledFired = true; });
    clock.schedule(20ms, [&keptFired] { keptFired = true; });

    clock.advance(5ms);
    clock.cancel(cancelled);
    QCOMPARE(clock.pendingTimers(), 1);

    QCOMPARE(clock.advance(1s), 1);
    QVERIFY(!cancelledFired);
    QVERIFY(keptFired);
}

void TestManualClock::cancelOfStaleIdIsHarmless()
{
    ManualClock clock;
    int firstCount = 0;
    int secondCount = 0;
    const TimerId first = clock.schedule(10ms, [&firstCount] { ++firstCount; });
    clock.schedule(50ms, [&secondCount] { ++secondCount; });

    QCOMPARE(clock.advance(20ms), 1);
    clock.cancel(first); // already fired
    clock.cancel(first); // twice
    clock.cancel(0);     // never a valid id
    clock.cancel(first + 1000);
    clock.cancel(std::numeric_limits<TimerId>::max());
    QCOMPARE(clock.pendingTimers(), 1);

    QCOMPARE(clock.advance(1s), 1);
    QCOMPARE(firstCount, 1);
    QCOMPARE(secondCount, 1);

    // A callback cancelling its own, already-firing id changes nothing either.
    TimerId self = 0;
    int selfCount = 0;
    self = clock.schedule(1ms, [&] {
        ++selfCount;
        clock.cancel(self);
    });
    QCOMPARE(clock.advance(1s), 1);
    QCOMPARE(selfCount, 1);
    QCOMPARE(clock.pendingTimers(), 0);
}

void TestManualClock::callbackMayCancelPendingTimer_data()
{
    QTest::addColumn<int>("victimDelayMs");

    // The canceller fires at 100 ms.
    QTest::addRow("victim later") << 500;
    QTest::addRow("victim at the same instant") << 100;
}

void TestManualClock::callbackMayCancelPendingTimer()
{
    QFETCH(int, victimDelayMs);

    ManualClock clock;
    TimerId victim = 0;
    bool victimFired = false;
    bool lastFired = false;
    clock.schedule(100ms, [&] { clock.cancel(victim); });
    victim = clock.schedule(msDuration(victimDelayMs), [&victimFired] { victimFired = true; });
    clock.schedule(700ms, [&lastFired] { lastFired = true; });

    QCOMPARE(clock.advance(1s), 2);
    QVERIFY(!victimFired);
    QVERIFY(lastFired);
    QCOMPARE(clock.pendingTimers(), 0);
}

void TestManualClock::advanceToNextTimer()
{
    ManualClock clock;
    QList<int> fired;
    clock.schedule(80ms, [&fired] { fired.append(80); });
    clock.schedule(50ms, [&fired] { fired.append(50); });
    clock.schedule(50ms, [&fired] { fired.append(51); });

    QVERIFY(clock.advanceToNextTimer());
    QCOMPARE(nsOf(clock.elapsed()), nsOf(50ms));
    QCOMPARE(fired, (QList<int>{50, 51})); // both timers due at that instant
    QCOMPARE(clock.pendingTimers(), 1);

    QVERIFY(clock.advanceToNextTimer());
    QCOMPARE(nsOf(clock.elapsed()), nsOf(80ms));
    QCOMPARE(fired, (QList<int>{50, 51, 80}));

    QVERIFY(!clock.advanceToNextTimer());
    QCOMPARE(nsOf(clock.elapsed()), nsOf(80ms)); // no timer: time stands still

    // A zero-delay timer is due now: advancing to it does not move time.
    bool zeroFired = false;
    clock.schedule(0ns, [&zeroFired] { zeroFired = true; });
    QVERIFY(clock.advanceToNextTimer());
    QVERIFY(zeroFired);
    QCOMPARE(nsOf(clock.elapsed()), nsOf(80ms));
}

void TestManualClock::pendingTimersCounts()
{
    ManualClock clock;
    const auto noop = [] {
    };
    clock.schedule(10ms, noop);
    const TimerId middle = clock.schedule(20ms, noop);
    clock.schedule(30ms, noop);
    QCOMPARE(clock.pendingTimers(), 3);

    clock.cancel(middle);
    QCOMPARE(clock.pendingTimers(), 2);

    clock.advance(15ms);
    QCOMPARE(clock.pendingTimers(), 1);

    clock.advance(15ms);
    QCOMPARE(clock.pendingTimers(), 0);
}

void TestManualClock::nonPositiveDelayFiresOnAdvanceZero_data()
{
    QTest::addColumn<qint64>("delayNs");

    QTest::addRow("zero") << qint64(0);
    QTest::addRow("-1 ns") << qint64(-1);
    QTest::addRow("-1 s") << -nsOf(1s);
    QTest::addRow("-1 hour") << -nsOf(1h);
}

void TestManualClock::nonPositiveDelayFiresOnAdvanceZero()
{
    QFETCH(qint64, delayNs);

    ManualClock clock;
    clock.advance(1s);
    const TimePoint before = clock.now();
    TimePoint seen{};
    int count = 0;
    clock.schedule(Duration(delayNs), [&] {
        ++count;
        seen = clock.now();
    });

    QCOMPARE(count, 0); // never inside schedule()
    QCOMPARE(clock.pendingTimers(), 1);
    QCOMPARE(clock.advance(0ns), 1);
    QCOMPARE(count, 1);
    QVERIFY(seen == before); // time never runs backwards for it
    QVERIFY(clock.now() == before);
}

void TestManualClock::idsAreUniqueAndNonZero()
{
    ManualClock clock;
    QSet<TimerId> ids;
    for (int i = 0; i < 1000; ++i) {
        const TimerId id = clock.schedule(msDuration(i % 7), [] {});
        QVERIFY(id != 0);
        ids.insert(id);
    }
    QCOMPARE(ids.size(), 1000);
}

void TestManualClock::scheduleFromSeveralThreads()
{
    constexpr int kThreads = 4;
    constexpr int kPerThread = 1000;
    ManualClock clock;
    std::atomic<int> fired{0};

    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&clock, &fired] {
            for (int i = 0; i < kPerThread; ++i) {
                const TimerId id = clock.schedule(std::chrono::milliseconds(i % 50),
                                                  [&fired] { fired.fetch_add(1); });
                if (i % 4 == 0)
                    clock.cancel(id);
            }
        });
    }
    for (auto& thread : threads)
        thread.join();

    constexpr int kExpected = kThreads * (kPerThread - kPerThread / 4);
    QCOMPARE(clock.pendingTimers(), kExpected);
    QCOMPARE(clock.advance(1s), kExpected);
    QCOMPARE(fired.load(), kExpected);
}

void TestManualClock::concurrentAdvancesNeverGoBack()
{
    ManualClock clock;
    std::atomic<bool> running{true};
    std::atomic<bool> wentBack{false};
    std::thread reader([&] {
        TimePoint last = clock.now();
        while (running.load()) {
            const TimePoint now = clock.now();
            if (now < last)
                wentBack = true;
            last = now;
        }
    });
    std::vector<std::thread> advancers;
    for (int t = 0; t < 3; ++t) {
        advancers.emplace_back([&clock] {
            for (int i = 0; i < 20000; ++i)
                clock.advance(std::chrono::microseconds(1));
        });
    }
    for (auto& thread : advancers)
        thread.join();
    running = false;
    reader.join();
    QVERIFY(!wentBack.load());
}

void TestManualClock::tenMinutesOfOneSecondTicks_data()
{
    QTest::addColumn<qint64>("stepNs");

    QTest::addRow("one advance") << nsOf(10min);
    QTest::addRow("1 s steps") << nsOf(1s);
    QTest::addRow("100 ms steps") << nsOf(100ms);
    QTest::addRow("7 s steps") << nsOf(7s);
}

void TestManualClock::tenMinutesOfOneSecondTicks()
{
    QFETCH(qint64, stepNs);

    ManualClock clock;
    const TimePoint start = clock.now();
    int ticks = 0;
    bool onTime = true;
    std::function<void()> tick = [&] {
        ++ticks;
        onTime = onTime && clock.now() - start == std::chrono::seconds(ticks);
        clock.schedule(1s, tick);
    };
    clock.schedule(1s, tick);

    int fired = 0;
    while (clock.elapsed() < 10min)
        fired += clock.advance(std::min<Duration>(Duration(stepNs), 10min - clock.elapsed()));

    QCOMPARE(fired, 600);
    QCOMPARE(ticks, 600);
    QVERIFY(onTime);
    QCOMPARE(nsOf(clock.elapsed()), nsOf(10min));
    QCOMPARE(clock.pendingTimers(), 1); // the tick at 601 s
}

QTEST_APPLESS_MAIN(TestManualClock)
#include "tst_manualclock.moc"
