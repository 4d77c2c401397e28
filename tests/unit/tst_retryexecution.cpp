#include "breakerhelpers.h"
#include "clock/manualclock.h"
#include "recordingobserver.h"
#include "retry/retryexecution.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace breakwater;
using namespace breakwater::testing;

namespace {
RetryConfig constantRetry(int maxAttempts, Duration delay)
{
    RetryConfig config;
    config.maxAttempts = maxAttempts;
    config.backoff.kind = BackoffKind::Constant;
    config.backoff.base = delay;
    config.backoff.cap = delay;
    return config;
}

ServiceError unavailable()
{
    ServiceError error = ServiceError::transient(QStringLiteral("HTTP 503"));
    error.httpStatus = 503;
    return error;
}
} // namespace

class TestRetryExecution : public QObject
{
    Q_OBJECT

private slots:
    void synchronousSuccessFinishesAtOnce();
    void asynchronousSuccess();
    void transientFailuresRetryAfterBackoff();
    void permanentFailureStopsAtOnce();
    void attemptsRunOut();
    void retryAfterIsHonouredAndCapped();
    void budgetStopsRetriesDuringOutage();
    void budgetRefillsWithSuccesses();
    void cancelDuringBackoff();
    void cancelDuringAttempt();
    void staleCompletionsAreIgnored();
    void attemptTimeoutFailsAndAborts();
    void timeoutWinsOverAnAbortThatAnswersAtOnce();
    void observerCancellingStopsEverything_data();
    void observerCancellingStopsEverything();
    void breakerRejectsFirstAttempt();
    void breakerOpensBetweenRetries();
    void breakerOpeningEndsAWaitingRetry();
    void requestScopedErrorsDoNotCountAgainstBreaker();
    void latencyIsMeasuredOnTheClock();
};

void TestRetryExecution::synchronousSuccessFinishesAtOnce()
{
    ManualClock clock;
    const RetryPolicy policy(constantRetry(3, 1s));
    RecordingObserver observer;
    RetryExecution execution(policy, clock, observer, nullptr, nullptr);
    execution.start([&](int attempt) { execution.succeed(attempt); });
    QCOMPARE(observer.lines, QStringList({QStringLiteral("start 1"), QStringLiteral("ok 1"),
                                          QStringLiteral("end succeeded")}));
    QVERIFY(execution.isFinished());
    QCOMPARE(observer.result->attempts, 1);
    QVERIFY(!observer.result->error);
    QCOMPARE(clock.pendingTimers(), 0);
}

void TestRetryExecution::asynchronousSuccess()
{
    ManualClock clock;
    const RetryPolicy policy(constantRetry(3, 1s));
    RecordingObserver observer;
    RetryExecution execution(policy, clock, observer, nullptr, nullptr);
    int started = 0;
    execution.start([&](int attempt) { started = attempt; });
    QVERIFY(!execution.isFinished());
    clock.advance(300ms);
    execution.succeed(started);
    QCOMPARE(observer.result->ending, RetryEnding::Succeeded);
}

void TestRetryExecution::transientFailuresRetryAfterBackoff()
{
    ManualClock clock;
    const RetryPolicy policy(constantRetry(3, 2s));
    RecordingObserver observer;
    RetryExecution execution(policy, clock, observer, nullptr, nullptr);
    execution.start([&](int attempt) {
        if (attempt < 3)
            execution.fail(attempt, unavailable());
        else
            execution.succeed(attempt);
    });
    QCOMPARE(observer.lines.size(), 3); // start, fail, retry: now waiting on a timer
    QCOMPARE(clock.pendingTimers(), 1);
    clock.advance(1999ms);
    QCOMPARE(execution.currentAttempt(), 1);
    clock.advance(1ms);
    QCOMPARE(execution.currentAttempt(), 2);
    clock.advance(2s);
    const QStringList expected{
        QStringLiteral("start 1"),          QStringLiteral("fail 1 transient"),
        QStringLiteral("retry 2"),          QStringLiteral("start 2"),
        QStringLiteral("fail 2 transient"), QStringLiteral("retry 3"),
        QStringLiteral("start 3"),          QStringLiteral("ok 3"),
        QStringLiteral("end succeeded"),
    };
    QCOMPARE(observer.lines, expected);
    QCOMPARE(observer.result->attempts, 3);
    QCOMPARE(observer.delays, (std::vector<Duration>{2s, 2s}));
}

void TestRetryExecution::permanentFailureStopsAtOnce()
{
    ManualClock clock;
    const RetryPolicy policy(constantRetry(5, 1s));
    RecordingObserver observer;
    RetryExecution execution(policy, clock, observer, nullptr, nullptr);
    ServiceError invalidKey = ServiceError::permanent(QStringLiteral("Invalid API key"));
    invalidKey.httpStatus = 401;
    invalidKey.vendorCode = QStringLiteral("invalid_api_key");
    execution.start([&](int attempt) { execution.fail(attempt, invalidKey); });
    QCOMPARE(observer.result->ending, RetryEnding::Failed);
    QCOMPARE(observer.result->attempts, 1);
    QCOMPARE(observer.result->error->vendorCode, QStringLiteral("invalid_api_key"));
    QCOMPARE(clock.pendingTimers(), 0);
}

void TestRetryExecution::attemptsRunOut()
{
    ManualClock clock;
    const RetryPolicy policy(constantRetry(4, 100ms));
    RecordingObserver observer;
    RetryExecution execution(policy, clock, observer, nullptr, nullptr);
    execution.start([&](int attempt) { execution.fail(attempt, unavailable()); });
    clock.advance(1s);
    QCOMPARE(observer.result->ending, RetryEnding::AttemptsExhausted);
    QCOMPARE(observer.result->attempts, 4);
    QCOMPARE(observer.delays.size(), std::size_t{3});
    QCOMPARE(observer.result->error->httpStatus, 503);
}

void TestRetryExecution::retryAfterIsHonouredAndCapped()
{
    ManualClock clock;
    RetryConfig config = constantRetry(3, 1s);
    config.maxRetryAfter = 20s;
    const RetryPolicy policy(config);
    RecordingObserver observer;
    RetryExecution execution(policy, clock, observer, nullptr, nullptr);
    execution.start([&](int attempt) {
        ServiceError busy = ServiceError::transient(QStringLiteral("HTTP 429"));
        busy.httpStatus = 429;
        busy.retryAfter =
            attempt == 1 ? std::chrono::milliseconds(5s) : std::chrono::milliseconds(60s);
        execution.fail(attempt, busy);
    });
    clock.advance(1min);
    QCOMPARE(observer.delays, (std::vector<Duration>{5s, 20s}));
}

void TestRetryExecution::budgetStopsRetriesDuringOutage()
{
    ManualClock clock;
    const RetryPolicy policy(constantRetry(3, 100ms));
    RetryBudget budget(RetryBudgetConfig{10, 0.1});
    int attemptsMade = 0;
    int retriesScheduled = 0;
    int budgetEndings = 0;
    // A hard outage: every attempt fails. Without a budget 10 calls would make 30 attempts.
    for (int call = 0; call < 10; ++call) {
        RecordingObserver observer;
        RetryExecution execution(policy, clock, observer, nullptr, &budget);
        execution.start([&](int attempt) {
            ++attemptsMade;
            execution.fail(attempt, unavailable());
        });
        clock.advance(1s);
        retriesScheduled += static_cast<int>(observer.delays.size());
        budgetEndings += observer.result->ending == RetryEnding::BudgetExhausted;
    }
    QVERIFY(!budget.canRetry());
    // Each failed attempt costs a token and retries need more than half of the 10: the first call
    // retries twice (9, 8 tokens left, then 7 after its last attempt), the second once (6), and
    // from 5 tokens on every call gets its first attempt only.
    QCOMPARE(retriesScheduled, 3);
    QCOMPARE(attemptsMade, 10 + 3);
    QCOMPARE(budgetEndings, 10 - 2 + 1);
}

void TestRetryExecution::budgetRefillsWithSuccesses()
{
    ManualClock clock;
    const RetryPolicy policy(constantRetry(2, 100ms));
    RetryBudget budget(RetryBudgetConfig{10, 0.5});
    for (int i = 0; i < 6; ++i)
        budget.onFailure();
    QVERIFY(!budget.canRetry());
    for (int i = 0; i < 5; ++i) {
        RecordingObserver observer;
        RetryExecution execution(policy, clock, observer, nullptr, &budget);
        execution.start([&](int attempt) { execution.succeed(attempt); });
    }
    // 4 + 5 * 0.5 = 6.5 tokens; the next failure costs one and leaves 5.5, enough for a retry.
    QCOMPARE(budget.tokens(), 6.5);
    RecordingObserver observer;
    RetryExecution execution(policy, clock, observer, nullptr, &budget);
    execution.start([&](int attempt) { execution.fail(attempt, unavailable()); });
    QCOMPARE(observer.delays.size(), std::size_t{1});
}

void TestRetryExecution::cancelDuringBackoff()
{
    ManualClock clock;
    const RetryPolicy policy(constantRetry(3, 5s));
    RecordingObserver observer;
    RetryExecution execution(policy, clock, observer, nullptr, nullptr);
    execution.start([&](int attempt) { execution.fail(attempt, unavailable()); });
    QCOMPARE(clock.pendingTimers(), 1);
    execution.cancel(QStringLiteral("shutting down"));
    QCOMPARE(clock.pendingTimers(), 0);
    QCOMPARE(observer.result->ending, RetryEnding::Cancelled);
    QCOMPARE(observer.result->error->kind, ErrorKind::Cancelled);
    QCOMPARE(observer.result->error->message, QStringLiteral("shutting down"));
    clock.advance(1min);
    QCOMPARE(observer.finishedCount, 1);
    QCOMPARE(execution.currentAttempt(), 1);
}

void TestRetryExecution::cancelDuringAttempt()
{
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), consecutiveConfig(1), clock);
    const RetryPolicy policy(constantRetry(3, 1s));
    RecordingObserver observer;
    RetryExecution execution(policy, clock, observer, &breaker, nullptr);
    QList<int> aborted;
    execution.setAbortHandler([&](int attempt) { aborted << attempt; });
    execution.start([](int) {});
    execution.cancel(QStringLiteral("operator"));
    QCOMPARE(aborted, QList<int>{1});
    QCOMPARE(observer.result->ending, RetryEnding::Cancelled);
    execution.fail(1, unavailable()); // the abandoned attempt answers anyway
    QCOMPARE(observer.finishedCount, 1);
    QCOMPARE(breaker.state(), BreakerState::Closed); // a cancellation is no failure
}

void TestRetryExecution::staleCompletionsAreIgnored()
{
    ManualClock clock;
    const RetryPolicy policy(constantRetry(3, 1s));
    RecordingObserver observer;
    RetryExecution execution(policy, clock, observer, nullptr, nullptr);
    execution.start([](int) {});
    execution.fail(1, unavailable());
    execution.fail(1, unavailable()); // a duplicate
    execution.succeed(2);             // an attempt that has not started
    QCOMPARE(observer.lines.size(), 3);
    clock.advance(1s);
    execution.succeed(1); // the first attempt, long superseded
    QVERIFY(!execution.isFinished());
    execution.succeed(2);
    QCOMPARE(observer.result->ending, RetryEnding::Succeeded);
    execution.succeed(2);
    QCOMPARE(observer.finishedCount, 1);
}

void TestRetryExecution::attemptTimeoutFailsAndAborts()
{
    ManualClock clock;
    RetryConfig config = constantRetry(2, 1s);
    config.attemptTimeout = 3s;
    const RetryPolicy policy(config);
    RecordingObserver observer;
    RetryExecution execution(policy, clock, observer, nullptr, nullptr);
    QList<int> aborted;
    execution.setAbortHandler([&](int attempt) { aborted << attempt; });
    execution.start([](int) {}); // a service that never answers
    clock.advance(3s);
    QCOMPARE(aborted, QList<int>{1});
    QCOMPARE(observer.lines.at(1), QStringLiteral("fail 1 transient"));
    clock.advance(1s + 3s);
    QCOMPARE(observer.result->ending, RetryEnding::AttemptsExhausted);
    QCOMPARE(observer.result->error->networkError, QNetworkReply::TimeoutError);
    QCOMPARE(observer.latencies, (std::vector<Duration>{3s, 3s}));
}

void TestRetryExecution::timeoutWinsOverAnAbortThatAnswersAtOnce()
{
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), consecutiveConfig(2), clock);
    RetryConfig config = constantRetry(2, 1s);
    config.attemptTimeout = 3s;
    const RetryPolicy policy(config);
    RecordingObserver observer;
    RetryExecution execution(policy, clock, observer, &breaker, nullptr);
    // Like a QNetworkReply: aborting it reports "operation cancelled" before abort() returns.
    execution.setAbortHandler([&](int attempt) {
        execution.fail(attempt, ServiceError::cancelled(QStringLiteral("operation canceled")));
    });
    execution.start([](int) {});
    clock.advance(3s + 1s + 3s);
    QCOMPARE(observer.result->ending, RetryEnding::AttemptsExhausted);
    QCOMPARE(observer.result->error->networkError, QNetworkReply::TimeoutError);
    QCOMPARE(observer.delays.size(), std::size_t{1});
    QCOMPARE(breaker.state(), BreakerState::Open); // two timeouts are two failures
}

namespace {
// Cancels the execution from inside one kind of observer callback.
class CancellingObserver final : public RetryObserver
{
public:
    explicit CancellingObserver(QString when)
        : m_when(std::move(when))
    {}
    RetryExecution* execution = nullptr;
    int finishedCount = 0;
    std::optional<RetryResult> result;

    void attemptStarted(int) override { cancelIf(QStringLiteral("started")); }
    void attemptSucceeded(int, Duration) override { cancelIf(QStringLiteral("succeeded")); }
    void attemptFailed(int, const ServiceError&, Duration) override
    {
        cancelIf(QStringLiteral("failed"));
    }
    void retryScheduled(int, Duration, const ServiceError&) override
    {
        cancelIf(QStringLiteral("scheduled"));
    }
    void finished(const RetryResult& r) override
    {
        ++finishedCount;
        result = r;
    }

private:
    void cancelIf(const QString& when)
    {
        if (when == m_when)
            execution->cancel(QStringLiteral("cancelled from ") + when);
    }
    QString m_when;
};
} // namespace

void TestRetryExecution::observerCancellingStopsEverything_data()
{
    QTest::addColumn<QString>("when");
    QTest::addColumn<bool>("transient");
    QTest::addRow("on start") << QStringLiteral("started") << true;
    QTest::addRow("on success") << QStringLiteral("succeeded") << false;
    QTest::addRow("on transient failure") << QStringLiteral("failed") << true;
    QTest::addRow("on permanent failure") << QStringLiteral("failed") << false;
    QTest::addRow("on retry scheduled") << QStringLiteral("scheduled") << true;
}

void TestRetryExecution::observerCancellingStopsEverything()
{
    QFETCH(QString, when);
    QFETCH(bool, transient);
    ManualClock clock;
    const RetryPolicy policy(constantRetry(3, 1s));
    CancellingObserver observer(when);
    RetryExecution execution(policy, clock, observer, nullptr, nullptr);
    observer.execution = &execution;
    int sent = 0;
    execution.start([&](int attempt) {
        ++sent;
        if (when == QStringLiteral("succeeded"))
            execution.succeed(attempt);
        else if (transient)
            execution.fail(attempt, unavailable());
        else
            execution.fail(attempt, ServiceError::permanent(QStringLiteral("bad request")));
    });
    clock.advance(1min);
    QCOMPARE(observer.finishedCount, 1);
    QCOMPARE(observer.result->ending, RetryEnding::Cancelled);
    QCOMPARE(sent, when == QStringLiteral("started") ? 0 : 1);
    QCOMPARE(clock.pendingTimers(), 0);
}

void TestRetryExecution::breakerRejectsFirstAttempt()
{
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), consecutiveConfig(1), clock);
    failTimes(breaker);
    const RetryPolicy policy(constantRetry(3, 1s));
    RecordingObserver observer;
    RetryExecution execution(policy, clock, observer, &breaker, nullptr);
    bool called = false;
    execution.start([&](int) { called = true; });
    QVERIFY(!called);
    QCOMPARE(observer.result->ending, RetryEnding::Rejected);
    QCOMPARE(observer.result->attempts, 0);
    QCOMPARE(observer.result->error->kind, ErrorKind::Rejected);
    QVERIFY(observer.result->error->message.contains(QStringLiteral("open")));
}

void TestRetryExecution::breakerOpensBetweenRetries()
{
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), consecutiveConfig(2), clock);
    const RetryPolicy policy(constantRetry(5, 1s));
    RecordingObserver observer;
    RetryExecution execution(policy, clock, observer, &breaker, nullptr);
    execution.start([&](int attempt) { execution.fail(attempt, unavailable()); });
    clock.advance(1s); // the second failure opens the breaker...
    QCOMPARE(breaker.state(), BreakerState::Open);
    // ...and the call ends there, without waiting a backoff for a retry the breaker would refuse.
    QVERIFY(execution.isFinished());
    QCOMPARE(observer.result->ending, RetryEnding::Rejected);
    QCOMPARE(observer.result->attempts, 2);
    QCOMPARE(observer.result->error->httpStatus, 503); // the cause, not the refusal
    QVERIFY(!observer.lines.contains(QStringLiteral("retry 3")));
}

void TestRetryExecution::breakerOpeningEndsAWaitingRetry()
{
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), consecutiveConfig(5), clock);
    const RetryPolicy policy(constantRetry(5, 30s));
    RecordingObserver observer;
    RetryExecution execution(policy, clock, observer, &breaker, nullptr);
    execution.start([&](int attempt) { execution.fail(attempt, unavailable()); });
    QVERIFY(!execution.isFinished());         // waiting 30 s to retry
    QVERIFY(!execution.rejectPendingRetry()); // the breaker still lets calls through
    breaker.forceOpen();
    QVERIFY(execution.rejectPendingRetry());
    QCOMPARE(observer.result->ending, RetryEnding::Rejected);
    QCOMPARE(observer.result->attempts, 1);
    QVERIFY(!execution.rejectPendingRetry()); // once
    clock.advance(30s);
    QCOMPARE(observer.lines.count(QStringLiteral("start 2")), 0);
}

void TestRetryExecution::requestScopedErrorsDoNotCountAgainstBreaker()
{
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("tts"), consecutiveConfig(1), clock);
    const RetryPolicy policy(constantRetry(1, 1s));
    RecordingObserver observer;
    RetryExecution execution(policy, clock, observer, &breaker, nullptr);
    ServiceError tooLong = ServiceError::permanent(QStringLiteral("text too long"));
    tooLong.scope = ErrorScope::Request;
    execution.start([&](int attempt) { execution.fail(attempt, tooLong); });
    QCOMPARE(observer.result->ending, RetryEnding::Failed);
    QCOMPARE(breaker.state(), BreakerState::Closed);
    QCOMPARE(breaker.status().window.calls, 0);
}

void TestRetryExecution::latencyIsMeasuredOnTheClock()
{
    ManualClock clock;
    BreakerConfig config = quietConfig();
    config.slowCallRateThreshold = 100;
    config.slowCallDuration = 2s;
    config.windowSize = 1;
    CircuitBreaker breaker(QStringLiteral("tts"), config, clock);
    const RetryPolicy policy(constantRetry(1, 1s));
    RecordingObserver observer;
    RetryExecution execution(policy, clock, observer, &breaker, nullptr);
    execution.start([](int) {});
    clock.advance(2500ms);
    execution.succeed(1);
    QCOMPARE(breaker.state(), BreakerState::Open); // the slow success tripped it
    QCOMPARE(breaker.lastTransition()->reason, TransitionReason::SlowCallRate);
}

QTEST_APPLESS_MAIN(TestRetryExecution)
#include "tst_retryexecution.moc"
