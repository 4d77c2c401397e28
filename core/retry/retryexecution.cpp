#include "retryexecution.h"

namespace breakwater {

QString retryEndingName(RetryEnding ending)
{
    switch (ending) {
    case RetryEnding::Succeeded:
        return QStringLiteral("succeeded");
    case RetryEnding::Failed:
        return QStringLiteral("failed");
    case RetryEnding::AttemptsExhausted:
        return QStringLiteral("attempts_exhausted");
    case RetryEnding::BudgetExhausted:
        return QStringLiteral("budget_exhausted");
    case RetryEnding::Rejected:
        return QStringLiteral("rejected");
    case RetryEnding::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

RetryExecution::RetryExecution(const RetryPolicy& policy, Clock& clock, RetryObserver& observer,
                               CircuitBreaker* breaker, RetryBudget* budget, std::uint64_t seed)
    : m_policy(policy)
    , m_clock(clock)
    , m_observer(observer)
    , m_breaker(breaker)
    , m_budget(budget)
    , m_backoff(seed)
{}

RetryExecution::~RetryExecution()
{
    cancelTimers();
    if (m_inFlight && m_breaker)
        m_breaker->release(m_permit);
}

void RetryExecution::start(Attempt attempt)
{
    if (m_attempt != 0 || m_finished)
        return;
    m_attemptFn = std::move(attempt);
    launch();
}

// Observer callbacks may cancel the execution; every step after one checks m_finished so that
// nothing is sent, scheduled or reported once the call has ended.
void RetryExecution::launch()
{
    if (m_finished)
        return;
    ++m_attempt;
    if (m_breaker) {
        m_permit = m_breaker->tryAcquire();
        if (!m_permit) {
            --m_attempt; // this one never reached the service
            finish(RetryEnding::Rejected, breakerRefusal());
            return;
        }
    }
    m_inFlight = true;
    m_attemptStart = m_clock.now();
    m_observer.attemptStarted(m_attempt);
    if (m_finished)
        return;
    if (m_policy.attemptTimeout() > Duration::zero()) {
        m_timeoutTimer = m_clock.schedule(
            m_policy.attemptTimeout(), [this, attempt = m_attempt] { onAttemptTimeout(attempt); });
    }
    // Last: the attempt may complete, and the execution finish, before this returns.
    m_attemptFn(m_attempt);
}

bool RetryExecution::takeAttempt(int attempt) noexcept
{
    if (m_finished || !m_inFlight || attempt != m_attempt)
        return false;
    m_inFlight = false;
    if (m_timeoutTimer) {
        m_clock.cancel(m_timeoutTimer);
        m_timeoutTimer = 0;
    }
    return true;
}

void RetryExecution::succeed(int attempt)
{
    if (!takeAttempt(attempt))
        return;
    const Duration latency = m_clock.now() - m_attemptStart;
    // The observer hears of the attempt before the breaker acts on it, so a story told from the
    // observer reads in cause-then-effect order: "attempt succeeded", then "breaker closed".
    m_observer.attemptSucceeded(attempt, latency);
    if (m_breaker)
        m_breaker->onSuccess(m_permit, latency);
    if (m_budget)
        m_budget->onSuccess();
    if (!m_finished)
        finish(RetryEnding::Succeeded, std::nullopt);
}

void RetryExecution::fail(int attempt, const ServiceError& error)
{
    if (takeAttempt(attempt))
        settleFailure(attempt, error);
}

void RetryExecution::settleFailure(int attempt, const ServiceError& error)
{
    const Duration latency = m_clock.now() - m_attemptStart;
    // As in succeed(): "attempt failed" is told before the breaker may open because of it. The
    // breaker and the budget record the attempt even if the observer cancelled meanwhile.
    m_observer.attemptFailed(attempt, error, latency);
    if (m_breaker) {
        if (error.countsAgainstBreaker())
            m_breaker->onFailure(m_permit, latency);
        else
            m_breaker->release(m_permit);
    }
    if (m_budget && error.isTransient())
        m_budget->onFailure();
    if (m_finished)
        return;

    if (error.kind == ErrorKind::Cancelled)
        return finish(RetryEnding::Cancelled, error);
    if (!error.isTransient())
        return finish(RetryEnding::Failed, error);
    if (attempt >= m_policy.maxAttempts())
        return finish(RetryEnding::AttemptsExhausted, error);
    if (m_budget && !m_budget->canRetry())
        return finish(RetryEnding::BudgetExhausted, error);
    // An open breaker would refuse the retry anyway: say so now rather than after the backoff.
    // The call ends with the service's error that led here; the ending says the breaker stopped it.
    if (m_breaker && rejectsCalls(m_breaker->state()))
        return finish(RetryEnding::Rejected, error);

    const Duration delay = m_policy.delay(attempt, m_backoff, error);
    m_observer.retryScheduled(attempt + 1, delay, error);
    if (m_finished)
        return;
    m_retryTimer = m_clock.schedule(delay, [this] {
        m_retryTimer = 0;
        launch();
    });
}

void RetryExecution::onAttemptTimeout(int attempt)
{
    m_timeoutTimer = 0;
    if (!takeAttempt(attempt))
        return;
    // The attempt is settled before it is aborted: an abort that answers at once (a QNetworkReply
    // emits finished() inside abort()) must find it already over, so the verdict is the timeout.
    if (m_abort)
        m_abort(attempt);
    if (m_finished)
        return;
    settleFailure(attempt,
                  ServiceError::timedOut(QStringLiteral("attempt %1").arg(attempt),
                                         std::chrono::duration_cast<std::chrono::milliseconds>(
                                             m_policy.attemptTimeout())));
}

ServiceError RetryExecution::breakerRefusal() const
{
    return ServiceError::rejected(
        QStringLiteral("circuit breaker for %1 is %2")
            .arg(m_breaker->service(), breakerStateName(m_breaker->state())));
}

bool RetryExecution::rejectPendingRetry()
{
    if (m_finished || m_retryTimer == 0 || !m_breaker || !rejectsCalls(m_breaker->state()))
        return false;
    finish(RetryEnding::Rejected, breakerRefusal());
    return true;
}

void RetryExecution::cancel(const QString& reason)
{
    if (m_finished)
        return;
    cancelTimers();
    if (m_inFlight) {
        m_inFlight = false;
        if (m_breaker)
            m_breaker->release(m_permit);
        if (m_abort)
            m_abort(m_attempt);
    }
    finish(RetryEnding::Cancelled, ServiceError::cancelled(reason));
}

void RetryExecution::finish(RetryEnding ending, std::optional<ServiceError> error)
{
    if (m_finished)
        return; // finished() comes exactly once, whatever re-entered
    m_finished = true;
    cancelTimers();
    m_observer.finished(RetryResult{ending, m_attempt, std::move(error)});
}

void RetryExecution::cancelTimers() noexcept
{
    if (m_retryTimer)
        m_clock.cancel(std::exchange(m_retryTimer, 0));
    if (m_timeoutTimer)
        m_clock.cancel(std::exchange(m_timeoutTimer, 0));
}

} // namespace breakwater
