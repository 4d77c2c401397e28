#include "retry/retrybudget.h"

#include <QTest>

#include <atomic>
#include <cstdint>
#include <limits>
#include <thread>
#include <vector>

using namespace breakwater;

namespace {

RetryBudgetConfig makeConfig(double maxTokens, double tokenRatio)
{
    RetryBudgetConfig config;
    config.maxTokens = maxTokens;
    config.tokenRatio = tokenRatio;
    return config;
}

void drain(RetryBudget& budget)
{
    while (budget.tokens() > 0)
        budget.onFailure();
}

} // namespace

class TestRetryBudget final : public QObject
{
    Q_OBJECT

private slots:
    void startsFull_data();
    void startsFull();
    void failureCostsOneToken();
    void canRetryAboveHalf_data();
    void canRetryAboveHalf();
    void successRefundsRatio();
    void neverExceedsMax_data();
    void neverExceedsMax();
    void neverBelowZero();
    void refillAfterExhaustion_data();
    void refillAfterExhaustion();
    void validation_data();
    void validation();
    void concurrentMixedUse();
    void concurrentUpdatesAreNotLost();
};

void TestRetryBudget::startsFull_data()
{
    QTest::addColumn<double>("maxTokens");
    QTest::addColumn<double>("tokenRatio");

    QTest::addRow("default") << RetryBudgetConfig{}.maxTokens << RetryBudgetConfig{}.tokenRatio;
    QTest::addRow("one token") << 1.0 << 1.0;
    QTest::addRow("fractional size") << 2.5 << 0.2;
    QTest::addRow("large") << 1000.0 << 0.5;
}

void TestRetryBudget::startsFull()
{
    QFETCH(double, maxTokens);
    QFETCH(double, tokenRatio);

    const RetryBudgetConfig config = makeConfig(maxTokens, tokenRatio);
    QVERIFY(validateRetryBudget(config).isEmpty());
    RetryBudget budget(config);
    QCOMPARE(budget.tokens(), maxTokens);
    QVERIFY(budget.canRetry());

    budget.onSuccess(); // a full bucket stays full
    QCOMPARE(budget.tokens(), maxTokens);
}

void TestRetryBudget::failureCostsOneToken()
{
    RetryBudget budget(makeConfig(10, 0.1));
    for (int failures = 1; failures <= 10; ++failures) {
        budget.onFailure();
        QCOMPARE(budget.tokens(), 10.0 - failures);
    }
}

void TestRetryBudget::canRetryAboveHalf_data()
{
    QTest::addColumn<double>("maxTokens");
    QTest::addColumn<int>("failures");
    QTest::addColumn<double>("tokens");
    QTest::addColumn<bool>("canRetry");

    QTest::addRow("10: none") << 10.0 << 0 << 10.0 << true;
    QTest::addRow("10: 4 failures") << 10.0 << 4 << 6.0 << true;
    QTest::addRow("10: 5 failures, exactly half") << 10.0 << 5 << 5.0 << false;
    QTest::addRow("10: 6 failures") << 10.0 << 6 << 4.0 << false;
    QTest::addRow("10: 10 failures") << 10.0 << 10 << 0.0 << false;
    QTest::addRow("3: 1 failure") << 3.0 << 1 << 2.0 << true;
    QTest::addRow("3: 2 failures") << 3.0 << 2 << 1.0 << false;
    QTest::addRow("1: none") << 1.0 << 0 << 1.0 << true;
    QTest::addRow("1: 1 failure") << 1.0 << 1 << 0.0 << false;
    QTest::addRow("2: 1 failure, exactly half") << 2.0 << 1 << 1.0 << false;
    QTest::addRow("2.5: 1 failure") << 2.5 << 1 << 1.5 << true;
    QTest::addRow("2.5: 2 failures") << 2.5 << 2 << 0.5 << false;
}

void TestRetryBudget::canRetryAboveHalf()
{
    QFETCH(double, maxTokens);
    QFETCH(int, failures);
    QFETCH(double, tokens);
    QFETCH(bool, canRetry);

    RetryBudget budget(makeConfig(maxTokens, 0.1));
    for (int i = 0; i < failures; ++i)
        budget.onFailure();
    QCOMPARE(budget.tokens(), tokens);
    QCOMPARE(budget.canRetry(), canRetry);
}

void TestRetryBudget::successRefundsRatio()
{
    RetryBudget budget(makeConfig(10, 0.1));
    for (int i = 0; i < 5; ++i)
        budget.onFailure();
    QCOMPARE(budget.tokens(), 5.0);
    QVERIFY(!budget.canRetry());

    budget.onSuccess();
    QCOMPARE(budget.tokens(), 5.1);
    QVERIFY(budget.canRetry());

    for (int i = 0; i < 10; ++i)
        budget.onSuccess();
    QCOMPARE(budget.tokens(), 6.1);

    budget.onFailure();
    QCOMPARE(budget.tokens(), 5.1);
}

void TestRetryBudget::neverExceedsMax_data()
{
    QTest::addColumn<double>("maxTokens");
    QTest::addColumn<double>("tokenRatio");
    QTest::addColumn<int>("failures");
    QTest::addColumn<int>("successes");

    QTest::addRow("0.3 does not divide the gap") << 10.0 << 0.3 << 1 << 4;
    QTest::addRow("ratio 1") << 10.0 << 1.0 << 3 << 5;
    QTest::addRow("one token, ratio 0.7") << 1.0 << 0.7 << 1 << 2;
    QTest::addRow("many successes") << 10.0 << 0.1 << 10 << 10'000;
}

void TestRetryBudget::neverExceedsMax()
{
    QFETCH(double, maxTokens);
    QFETCH(double, tokenRatio);
    QFETCH(int, failures);
    QFETCH(int, successes);

    RetryBudget budget(makeConfig(maxTokens, tokenRatio));
    for (int i = 0; i < failures; ++i)
        budget.onFailure();
    for (int i = 0; i < successes; ++i) {
        budget.onSuccess();
        QVERIFY2(budget.tokens() <= maxTokens, qPrintable(QString::number(budget.tokens())));
    }
    QCOMPARE(budget.tokens(), maxTokens);
    QVERIFY(budget.canRetry());
}

void TestRetryBudget::neverBelowZero()
{
    RetryBudget budget(makeConfig(10, 0.1));
    for (int i = 0; i < 100; ++i) {
        budget.onFailure();
        QVERIFY(budget.tokens() >= 0.0);
    }
    QCOMPARE(budget.tokens(), 0.0);
    QVERIFY(!budget.canRetry());

    budget.onSuccess(); // from 0, not from -90
    QCOMPARE(budget.tokens(), 0.1);
}

void TestRetryBudget::refillAfterExhaustion_data()
{
    QTest::addColumn<double>("maxTokens");
    QTest::addColumn<double>("tokenRatio");
    QTest::addColumn<int>("successes");
    QTest::addColumn<double>("tokens");
    QTest::addColumn<bool>("canRetry");

    QTest::addRow("10/0.1: 50 successes") << 10.0 << 0.1 << 50 << 5.0 << false;
    QTest::addRow("10/0.1: 51 successes") << 10.0 << 0.1 << 51 << 5.1 << true;
    QTest::addRow("10/0.5: 10 successes") << 10.0 << 0.5 << 10 << 5.0 << false;
    QTest::addRow("10/0.5: 11 successes") << 10.0 << 0.5 << 11 << 5.5 << true;
    QTest::addRow("4/1: 2 successes") << 4.0 << 1.0 << 2 << 2.0 << false;
    QTest::addRow("4/1: 3 successes") << 4.0 << 1.0 << 3 << 3.0 << true;
    QTest::addRow("100/0.01: 5000 successes") << 100.0 << 0.01 << 5'000 << 50.0 << false;
    QTest::addRow("100/0.01: 5001 successes") << 100.0 << 0.01 << 5'001 << 50.01 << true;
}

void TestRetryBudget::refillAfterExhaustion()
{
    QFETCH(double, maxTokens);
    QFETCH(double, tokenRatio);
    QFETCH(int, successes);
    QFETCH(double, tokens);
    QFETCH(bool, canRetry);

    RetryBudget budget(makeConfig(maxTokens, tokenRatio));
    drain(budget);
    QCOMPARE(budget.tokens(), 0.0);

    for (int i = 0; i < successes; ++i)
        budget.onSuccess();
    QCOMPARE(budget.tokens(), tokens);
    QCOMPARE(budget.canRetry(), canRetry);
}

void TestRetryBudget::validation_data()
{
    QTest::addColumn<double>("maxTokens");
    QTest::addColumn<double>("tokenRatio");
    QTest::addColumn<QString>("problem"); // a key the message must name; empty when valid

    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const QString maxTokens = QStringLiteral("max_tokens");
    const QString tokenRatio = QStringLiteral("token_ratio");

    QTest::addRow("default") << 10.0 << 0.1 << QString();
    QTest::addRow("one token") << 1.0 << 0.1 << QString();
    QTest::addRow("ratio 1") << 10.0 << 1.0 << QString();
    QTest::addRow("tiny ratio") << 10.0 << 0.001 << QString();
    QTest::addRow("max below 1") << 0.999 << 0.1 << maxTokens;
    QTest::addRow("max 0") << 0.0 << 0.1 << maxTokens;
    QTest::addRow("negative max") << -10.0 << 0.1 << maxTokens;
    QTest::addRow("NaN max") << nan << 0.1 << maxTokens;
    QTest::addRow("infinite max") << inf << 0.1 << maxTokens;
    QTest::addRow("ratio 0") << 10.0 << 0.0 << tokenRatio;
    QTest::addRow("negative ratio") << 10.0 << -0.1 << tokenRatio;
    QTest::addRow("ratio above 1") << 10.0 << 1.0001 << tokenRatio;
    QTest::addRow("NaN ratio") << 10.0 << nan << tokenRatio;
    QTest::addRow("infinite ratio") << 10.0 << inf << tokenRatio;
}

void TestRetryBudget::validation()
{
    QFETCH(double, maxTokens);
    QFETCH(double, tokenRatio);
    QFETCH(QString, problem);

    const QString message = validateRetryBudget(makeConfig(maxTokens, tokenRatio));
    if (problem.isEmpty()) {
        QVERIFY2(message.isEmpty(), qPrintable(message));
    } else {
        QVERIFY(!message.isEmpty());
        QVERIFY2(message.contains(problem), qPrintable(message));
    }
}

void TestRetryBudget::concurrentMixedUse()
{
    constexpr int kThreads = 4;
    constexpr int kOperations = 10'000;
    constexpr double kMax = 10.0;
    RetryBudget budget(makeConfig(kMax, 0.1));
    std::atomic<int> outOfRange{0};

    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&budget, &outOfRange, t] {
            // A cheap per-thread pattern: threads lean differently towards failure.
            std::uint32_t state = 2654435761U * std::uint32_t(t + 1);
            for (int i = 0; i < kOperations; ++i) {
                state = state * 1664525U + 1013904223U;
                if ((state >> 24) % 4 <= std::uint32_t(t % 3))
                    budget.onFailure();
                else
                    budget.onSuccess();
                const double tokens = budget.tokens();
                if (tokens < 0.0 || tokens > kMax)
                    outOfRange.fetch_add(1, std::memory_order_relaxed);
            }
        });
    }
    for (auto& thread : threads)
        thread.join();

    QCOMPARE(outOfRange.load(), 0);
    QVERIFY(budget.tokens() >= 0.0);
    QVERIFY(budget.tokens() <= kMax);
}

void TestRetryBudget::concurrentUpdatesAreNotLost()
{
    // A bucket large enough never to clamp, so every update must show in the total.
    constexpr int kThreads = 4;
    constexpr int kOperations = 10'000;
    RetryBudget budget(makeConfig(100'000, 0.1));

    const auto runAll = [&budget](bool failures) {
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&budget, failures] {
                for (int i = 0; i < kOperations; ++i) {
                    if (failures)
                        budget.onFailure();
                    else
                        budget.onSuccess();
                }
            });
        }
        for (auto& thread : threads)
            thread.join();
    };

    runAll(true);
    QCOMPARE(budget.tokens(), 100'000.0 - kThreads * kOperations);
    runAll(false);
    QCOMPARE(budget.tokens(), 100'000.0 - kThreads * kOperations + kThreads * kOperations * 0.1);
}

QTEST_APPLESS_MAIN(TestRetryBudget)
#include "tst_retrybudget.moc"
