#include "clock/systemclock.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QSet>
#include <QTest>
#include <QThread>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace breakwater;
using namespace std::chrono_literals;

// Real timers on a real event loop. Every wait has a generous ceiling for a loaded machine, and no
// test asserts that anything happened quickly: only that it happened, and never too early.
namespace {

constexpr int kTimeoutMs = 5000;
constexpr int kQuietMs = 100; // how long a cancelled timer gets to misbehave

} // namespace

class TestSystemClock final : public QObject
{
    Q_OBJECT

private slots:
    void timerFiresNotBeforeDeadline_data();
    void timerFiresNotBeforeDeadline();
    void timerFiresOnce();
    void waitsBeyondQtTimerRangeDoNotFireEarly_data();
    void waitsBeyondQtTimerRangeDoNotFireEarly();
    void cancelPreventsFiring_data();
    void cancelPreventsFiring();
    void cancelOfStaleIdIsHarmless();
    void callbackMayScheduleAndCancel();
    void scheduleFromStdThreadFiresOnClockThread();
    void scheduleFromSeveralThreads();
    void cancelFromOtherThreadBeforeArming();
    void cancelFromOtherThreadAfterArming();
    void clockOnWorkerThread();
    void nowIsMonotonic();
    void coarseNowTracksNow();
    void wallNowTracksSystemClock();
};

void TestSystemClock::timerFiresNotBeforeDeadline_data()
{
    QTest::addColumn<qint64>("delayUs");

    QTest::addRow("zero") << qint64(0);
    QTest::addRow("1 ms") << qint64(1000);
    QTest::addRow("20 ms") << qint64(20'000);
    QTest::addRow("20.5 ms, rounded up") << qint64(20'500);
    QTest::addRow("negative fires soon") << qint64(-5000);
}

void TestSystemClock::timerFiresNotBeforeDeadline()
{
    QFETCH(qint64, delayUs);

    SystemClock clock;
    std::atomic<bool> fired{false};
    qint64 firedAfterNs = -1;
    QElapsedTimer elapsed;
    elapsed.start();
    const TimerId id = clock.schedule(std::chrono::microseconds(delayUs), [&] {
        firedAfterNs = elapsed.nsecsElapsed();
        fired = true;
    });

    QVERIFY(id != 0);
    QVERIFY(!fired); // never inside schedule(), even with no delay
    QTRY_VERIFY_WITH_TIMEOUT(fired.load(), kTimeoutMs);
    QVERIFY2(firedAfterNs >= std::max<qint64>(delayUs, 0) * 1000,
             qPrintable(QStringLiteral("fired after %1 ns").arg(firedAfterNs)));
}

void TestSystemClock::timerFiresOnce()
{
    SystemClock clock;
    std::atomic<int> count{0};
    clock.schedule(1ms, [&count] { ++count; });

    QTRY_COMPARE_WITH_TIMEOUT(count.load(), 1, kTimeoutMs);
    QTest::qWait(kQuietMs);
    QCOMPARE(count.load(), 1);
}

void TestSystemClock::waitsBeyondQtTimerRangeDoNotFireEarly_data()
{
    QTest::addColumn<qint64>("delayMs");
    // Qt keeps a timer's interval in an int of milliseconds: these would wrap to 50 ms, to a
    // negative interval, and to -1 respectively.
    QTest::addRow("2^32 ms + 50 ms") << (qint64{1} << 32) + 50;
    QTest::addRow("2^31 ms + 50 ms") << (qint64{1} << 31) + 50;
    QTest::addRow("Duration::max()") << qint64{-1};
}

void TestSystemClock::waitsBeyondQtTimerRangeDoNotFireEarly()
{
    QFETCH(qint64, delayMs);
    SystemClock clock;
    std::atomic<bool> fired{false};
    std::atomic<bool> witnessFired{false};
    const Duration delay =
        delayMs < 0 ? Duration::max() : Duration(std::chrono::milliseconds(delayMs));
    const TimerId id = clock.schedule(delay, [&fired] { fired = true; });
    clock.schedule(std::chrono::milliseconds(2 * kQuietMs),
                   [&witnessFired] { witnessFired = true; });
    QTRY_VERIFY_WITH_TIMEOUT(witnessFired.load(), kTimeoutMs);
    QTest::qWait(kQuietMs);
    QVERIFY(!fired);
    clock.cancel(id);
}

void TestSystemClock::cancelPreventsFiring_data()
{
    QTest::addColumn<int>("delayMs");
    QTest::addColumn<int>("waitBeforeCancelMs");

    QTest::addRow("zero delay, cancelled at once") << 0 << 0;
    QTest::addRow("20 ms, cancelled at once") << 20 << 0;
    QTest::addRow("200 ms, cancelled while armed") << 200 << 10;
}

void TestSystemClock::cancelPreventsFiring()
{
    QFETCH(int, delayMs);
    QFETCH(int, waitBeforeCancelMs);

    SystemClock clock;
    std::atomic<bool> cancelledFired{false};
    std::atomic<bool> witnessFired{false};
    const TimerId id = clock.schedule(std::chrono::milliseconds(delayMs),
                                      [&cancelledFired] { cancelledFired = true; });
    if (waitBeforeCancelMs > 0)
        QTest::qWait(waitBeforeCancelMs);
    // On a badly stalled machine the timer may already have fired; then there is nothing to test.
    if (cancelledFired)
        QSKIP("the timer fired before the test could cancel it");
    clock.cancel(id);

    // A witness scheduled after the cancelled timer's deadline proves the loop has moved past it.
    clock.schedule(std::chrono::milliseconds(delayMs + kQuietMs),
                   [&witnessFired] { witnessFired = true; });
    QTRY_VERIFY_WITH_TIMEOUT(witnessFired.load(), kTimeoutMs);
    QTest::qWait(kQuietMs);
    QVERIFY(!cancelledFired);
}

void TestSystemClock::cancelOfStaleIdIsHarmless()
{
    SystemClock clock;
    std::atomic<int> first{0};
    std::atomic<bool> second{false};
    const TimerId firstId = clock.schedule(1ms, [&first] { ++first; });
    QTRY_COMPARE_WITH_TIMEOUT(first.load(), 1, kTimeoutMs);

    clock.schedule(20ms, [&second] { second = true; });
    clock.cancel(firstId); // already fired
    clock.cancel(firstId);
    clock.cancel(0);
    clock.cancel(firstId + 1000);

    QTRY_VERIFY_WITH_TIMEOUT(second.load(), kTimeoutMs);
    QCOMPARE(first.load(), 1);
}

void TestSystemClock::callbackMayScheduleAndCancel()
{
    SystemClock clock;
    std::atomic<bool> victimFired{false};
    std::atomic<bool> chainedFired{false};
    TimerId victim = 0;
    clock.schedule(10ms, [&] {
        clock.cancel(victim);
        clock.schedule(10ms, [&chainedFired] { chainedFired = true; });
    });
    victim = clock.schedule(60ms, [&victimFired] { victimFired = true; });

    QTRY_VERIFY_WITH_TIMEOUT(chainedFired.load(), kTimeoutMs);
    QTest::qWait(kQuietMs);
    QVERIFY(!victimFired);
}

void TestSystemClock::scheduleFromStdThreadFiresOnClockThread()
{
    SystemClock clock;
    std::atomic<bool> fired{false};
    std::atomic<QThread*> firedOn{nullptr};
    std::atomic<TimerId> id{0};

    std::thread scheduler([&] {
        id = clock.schedule(20ms, [&] {
            firedOn = QThread::currentThread();
            fired = true;
        });
    });
    scheduler.join();

    QVERIFY(id.load() != 0);
    QTRY_VERIFY_WITH_TIMEOUT(fired.load(), kTimeoutMs);
    QCOMPARE(firedOn.load(), clock.thread());
    QCOMPARE(firedOn.load(), QThread::currentThread());
}

void TestSystemClock::scheduleFromSeveralThreads()
{
    constexpr int kThreads = 4;
    constexpr int kPerThread = 50;
    SystemClock clock;
    std::atomic<int> fired{0};
    std::atomic<int> offThread{0};
    QThread* const clockThread = clock.thread();
    std::vector<std::vector<TimerId>> ids(kThreads);

    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                ids[std::size_t(t)].push_back(clock.schedule(std::chrono::milliseconds(i % 5), [&] {
                    if (QThread::currentThread() != clockThread)
                        ++offThread;
                    ++fired;
                }));
            }
        });
    }
    for (auto& thread : threads)
        thread.join();

    QSet<TimerId> unique;
    for (const auto& perThread : ids) {
        for (TimerId id : perThread) {
            QVERIFY(id != 0);
            unique.insert(id);
        }
    }
    QCOMPARE(unique.size(), kThreads * kPerThread);
    QTRY_COMPARE_WITH_TIMEOUT(fired.load(), kThreads * kPerThread, kTimeoutMs);
    QCOMPARE(offThread.load(), 0);
}

void TestSystemClock::cancelFromOtherThreadBeforeArming()
{
    SystemClock clock;
    std::atomic<bool> cancelledFired{false};
    std::atomic<bool> witnessFired{false};

    // This thread is blocked in join() meanwhile, so the queued arming cannot have run yet.
    std::thread other([&] {
        const TimerId id = clock.schedule(0ms, [&cancelledFired] { cancelledFired = true; });
        clock.cancel(id);
        clock.schedule(20ms, [&witnessFired] { witnessFired = true; });
    });
    other.join();

    QTRY_VERIFY_WITH_TIMEOUT(witnessFired.load(), kTimeoutMs);
    QTest::qWait(kQuietMs);
    QVERIFY(!cancelledFired);
}

void TestSystemClock::cancelFromOtherThreadAfterArming()
{
    SystemClock clock;
    std::atomic<bool> cancelledFired{false};
    std::atomic<bool> witnessFired{false};
    // Scheduled on the clock's own thread, so the Qt timer is armed before schedule() returns.
    const TimerId id = clock.schedule(50ms, [&cancelledFired] { cancelledFired = true; });

    std::thread other([&clock, id] { clock.cancel(id); });
    other.join();
    clock.schedule(100ms, [&witnessFired] { witnessFired = true; });

    QTRY_VERIFY_WITH_TIMEOUT(witnessFired.load(), kTimeoutMs);
    QTest::qWait(kQuietMs);
    QVERIFY(!cancelledFired);
}

void TestSystemClock::clockOnWorkerThread()
{
    std::atomic<bool> fired{false};
    std::atomic<QThread*> firedOn{nullptr};
    std::atomic<bool> cancelledFired{false};

    QThread worker;
    worker.setObjectName(QStringLiteral("clock worker"));
    auto* clock = new SystemClock;
    clock->moveToThread(&worker);
    // Destroyed on its own thread, as the header asks, when the worker's loop ends.
    connect(&worker, &QThread::finished, clock, &QObject::deleteLater);
    worker.start();
    // Stops the worker even when a check fails, before the flags its callbacks touch go away.
    const auto stopWorker = qScopeGuard([&worker] {
        worker.quit();
        worker.wait();
    });

    clock->schedule(20ms, [&] {
        firedOn = QThread::currentThread();
        fired = true;
    });
    const TimerId cancelled = clock->schedule(30ms, [&] { cancelledFired = true; });
    clock->cancel(cancelled);

    QTRY_VERIFY_WITH_TIMEOUT(fired.load(), kTimeoutMs);
    QCOMPARE(firedOn.load(), &worker);
    QTest::qWait(kQuietMs);
    QVERIFY(!cancelledFired);
}

void TestSystemClock::nowIsMonotonic()
{
    SystemClock clock;
    TimePoint previous = clock.now();
    TimePoint previousCoarse = clock.coarseNow();
    for (int i = 0; i < 10'000; ++i) {
        const TimePoint current = clock.now();
        const TimePoint currentCoarse = clock.coarseNow();
        QVERIFY(current >= previous);
        QVERIFY(currentCoarse >= previousCoarse);
        previous = current;
        previousCoarse = currentCoarse;
    }
    // Same epoch as steady_clock, so deadlines from either compare meaningfully.
    const auto before = std::chrono::steady_clock::now();
    const TimePoint mine = clock.now();
    const auto after = std::chrono::steady_clock::now();
    QVERIFY(before <= mine && mine <= after);
}

void TestSystemClock::coarseNowTracksNow()
{
    // Sandwiched between two precise reads, so a preemption widens the window instead of failing.
    SystemClock clock;
    for (int i = 0; i < 1000; ++i) {
        const TimePoint before = clock.now();
        const TimePoint coarse = clock.coarseNow();
        const TimePoint after = clock.now();
        QVERIFY2(coarse >= before - 50ms && coarse <= after + 50ms,
                 qPrintable(
                     QStringLiteral("coarse is %1 us from now")
                         .arg(std::chrono::duration_cast<std::chrono::microseconds>(coarse - before)
                                  .count())));
    }
}

void TestSystemClock::wallNowTracksSystemClock()
{
    SystemClock clock;
    const auto before = std::chrono::system_clock::now();
    const WallTime wall = clock.wallNow();
    const auto after = std::chrono::system_clock::now();
    QVERIFY(wall >= before - 1s);
    QVERIFY(wall <= after + 1s);
}

QTEST_GUILESS_MAIN(TestSystemClock)
#include "tst_systemclock.moc"
