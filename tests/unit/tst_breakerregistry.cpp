#include "breaker/breakerregistry.h"
#include "breakerhelpers.h"
#include "clock/manualclock.h"
#include "qtestprinters.h"

#include <QTest>

#include <array>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace breakwater {

namespace {

// Fails calls through the breaker until it opens; returns how many it took (0: never opened).
int failUntilOpen(CircuitBreaker& breaker, int limit = 100)
{
    for (int calls = 1; calls <= limit; ++calls) {
        const Permit permit = breaker.tryAcquire();
        if (!permit)
            return 0;
        breaker.onFailure(permit, 10ms);
        if (breaker.state() == BreakerState::Open)
            return calls;
    }
    return 0;
}

} // namespace

class TestBreakerRegistry final : public QObject
{
    Q_OBJECT

private slots:
    void breakerIsCreatedOnce();
    void perServiceConfig_data();
    void perServiceConfig();
    void existingBreakerKeepsItsConfig();
    void findReturnsNullForUnknown();
    void servicesListsNames_data();
    void servicesListsNames();
    void transitionListenerReachesEveryBreaker();
    void concurrentCreationReturnsOneBreaker();
};

void TestBreakerRegistry::breakerIsCreatedOnce()
{
    ManualClock clock;
    BreakerRegistry registry(clock, testing::consecutiveConfig(5));

    CircuitBreaker& first = registry.breaker(QStringLiteral("elevenlabs"));
    CircuitBreaker& second = registry.breaker(QStringLiteral("elevenlabs"));
    QCOMPARE(&first, &second);
    QCOMPARE(first.service(), QStringLiteral("elevenlabs"));
    QCOMPARE(first.state(), BreakerState::Closed);
    QCOMPARE(registry.services(), QStringList{QStringLiteral("elevenlabs")});

    // State lives in the one breaker: what one user did, the next one sees.
    first.forceOpen();
    QCOMPARE(registry.breaker(QStringLiteral("elevenlabs")).state(), BreakerState::ForcedOpen);
}

void TestBreakerRegistry::perServiceConfig_data()
{
    QTest::addColumn<int>("defaultThreshold");
    QTest::addColumn<int>("ownThreshold");

    QTest::addRow("own lower") << 5 << 2;
    QTest::addRow("own higher") << 3 << 8;
    QTest::addRow("same") << 4 << 4;
    QTest::addRow("trip on the first failure") << 5 << 1;
}

void TestBreakerRegistry::perServiceConfig()
{
    QFETCH(int, defaultThreshold);
    QFETCH(int, ownThreshold);

    ManualClock clock;
    BreakerRegistry registry(clock, testing::consecutiveConfig(defaultThreshold));
    BreakerConfig own = testing::consecutiveConfig(ownThreshold);
    own.openWait = 42s;

    CircuitBreaker& special = registry.breaker(QStringLiteral("sheets"), own);
    CircuitBreaker& plain = registry.breaker(QStringLiteral("elevenlabs"));
    QCOMPARE(special.config().consecutiveFailures, ownThreshold);
    QCOMPARE(special.config().openWait.count(), Duration(42s).count());
    QCOMPARE(plain.config().consecutiveFailures, defaultThreshold);
    QCOMPARE(plain.config().openWait.count(), BreakerConfig{}.openWait.count());

    QCOMPARE(failUntilOpen(special), ownThreshold);
    QCOMPARE(failUntilOpen(plain), defaultThreshold);
}

void TestBreakerRegistry::existingBreakerKeepsItsConfig()
{
    ManualClock clock;
    BreakerRegistry registry(clock, testing::consecutiveConfig(5));

    CircuitBreaker& created = registry.breaker(QStringLiteral("elevenlabs"));
    CircuitBreaker& again =
        registry.breaker(QStringLiteral("elevenlabs"), testing::consecutiveConfig(1));
    QCOMPARE(&again, &created);
    QCOMPARE(again.config().consecutiveFailures, 5);
    QCOMPARE(failUntilOpen(again), 5);
}

void TestBreakerRegistry::findReturnsNullForUnknown()
{
    ManualClock clock;
    BreakerRegistry registry(clock, BreakerConfig{});
    const BreakerRegistry& view = registry;

    QCOMPARE(view.find(QStringLiteral("elevenlabs")), nullptr);
    QCOMPARE(view.find(QString()), nullptr);
    QVERIFY(view.services().isEmpty()); // find() does not create

    CircuitBreaker& created = registry.breaker(QStringLiteral("elevenlabs"));
    QCOMPARE(view.find(QStringLiteral("elevenlabs")), &created);
    QCOMPARE(view.find(QStringLiteral("ElevenLabs")), nullptr); // names are exact
    QCOMPARE(view.find(QStringLiteral("telegram")), nullptr);
    QCOMPARE(view.services().size(), 1);
}

void TestBreakerRegistry::servicesListsNames_data()
{
    QTest::addColumn<QStringList>("created");

    QTest::addRow("none") << QStringList{};
    QTest::addRow("one") << QStringList{QStringLiteral("elevenlabs")};
    QTest::addRow("several") << QStringList{QStringLiteral("elevenlabs"), QStringLiteral("webhook"),
                                            QStringLiteral("telegram"), QStringLiteral("email")};
    QTest::addRow("repeated") << QStringList{QStringLiteral("sheets"), QStringLiteral("sheets"),
                                             QStringLiteral("elevenlabs")};
}

void TestBreakerRegistry::servicesListsNames()
{
    QFETCH(QStringList, created);

    ManualClock clock;
    BreakerRegistry registry(clock, BreakerConfig{});
    for (const QString& name : created)
        registry.breaker(name);

    QStringList expected = created;
    expected.removeDuplicates();
    expected.sort();
    QStringList listed = registry.services();
    listed.sort();
    QCOMPARE(listed, expected);
    for (const QString& name : expected)
        QVERIFY(registry.find(name));
}

void TestBreakerRegistry::transitionListenerReachesEveryBreaker()
{
    ManualClock clock;
    BreakerRegistry registry(clock, testing::consecutiveConfig(2));
    std::vector<BreakerTransition> seen;

    CircuitBreaker& before = registry.breaker(QStringLiteral("elevenlabs"));
    registry.setTransitionListener(
        [&seen](const BreakerTransition& transition) { seen.push_back(transition); });
    CircuitBreaker& after = registry.breaker(QStringLiteral("webhook"));
    CircuitBreaker& own = registry.breaker(QStringLiteral("sheets"), testing::consecutiveConfig(3));

    QCOMPARE(failUntilOpen(before), 2);
    QCOMPARE(failUntilOpen(after), 2);
    QCOMPARE(failUntilOpen(own), 3);

    const QStringList expected{QStringLiteral("elevenlabs"), QStringLiteral("webhook"),
                               QStringLiteral("sheets")};
    QCOMPARE(seen.size(), std::size_t{3});
    for (std::size_t i = 0; i < seen.size(); ++i) {
        QCOMPARE(seen[i].service, expected[static_cast<qsizetype>(i)]);
        QCOMPARE(seen[i].from, BreakerState::Closed);
        QCOMPARE(seen[i].to, BreakerState::Open);
        QCOMPARE(seen[i].reason, TransitionReason::ConsecutiveFailures);
    }

    // Time-driven transitions reach the listener too: the open wait ends on the clock.
    clock.advance(BreakerConfig{}.openWait);
    QCOMPARE(seen.size(), std::size_t{6});
    for (std::size_t i = 3; i < seen.size(); ++i) {
        QCOMPARE(seen[i].to, BreakerState::HalfOpen);
        QCOMPARE(seen[i].reason, TransitionReason::OpenWaitElapsed);
    }

    // A replacement listener takes over on every breaker.
    int replaced = 0;
    registry.setTransitionListener([&replaced](const BreakerTransition&) { ++replaced; });
    before.reset();
    after.reset();
    own.reset();
    QCOMPARE(replaced, 3);
    QCOMPARE(seen.size(), std::size_t{6});
}

void TestBreakerRegistry::concurrentCreationReturnsOneBreaker()
{
    constexpr int kThreads = 4;
    constexpr int kRounds = 100;
    const QString shared = QStringLiteral("elevenlabs");

    for (int round = 0; round < kRounds; ++round) {
        ManualClock clock;
        BreakerRegistry registry(clock, BreakerConfig{});
        std::array<CircuitBreaker*, kThreads> seen{};
        std::array<CircuitBreaker*, kThreads> own{};
        std::atomic<int> ready{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                const QString mine = QStringLiteral("service-%1").arg(t);
                ready.fetch_add(1);
                while (ready.load() < kThreads)
                    std::this_thread::yield();
                seen[static_cast<std::size_t>(t)] = &registry.breaker(shared);
                own[static_cast<std::size_t>(t)] = &registry.breaker(mine);
            });
        }
        for (std::thread& thread : threads)
            thread.join();

        QVERIFY(seen[0]);
        for (int t = 0; t < kThreads; ++t) {
            QCOMPARE(seen[static_cast<std::size_t>(t)], seen[0]);
            QCOMPARE(own[static_cast<std::size_t>(t)],
                     registry.find(QStringLiteral("service-%1").arg(t)));
        }
        QCOMPARE(registry.find(shared), seen[0]);
        QCOMPARE(registry.services().size(), kThreads + 1);
    }
}

} // namespace breakwater

QTEST_APPLESS_MAIN(breakwater::TestBreakerRegistry)
#include "tst_breakerregistry.moc"
