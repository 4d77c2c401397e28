#pragma once

#include "breaker/circuitbreaker.h"
#include "retrypolicy.h"

#include <functional>
#include <optional>

namespace breakwater {

// How a call's attempts ended.
enum class RetryEnding : quint8
{
    Succeeded,
    Failed,            // a permanent error: trying again cannot help
    AttemptsExhausted, // transient errors until max_attempts ran out
    BudgetExhausted,   // the service's retry budget is spent: no more retries for now
    Rejected,          // the circuit breaker refused an attempt
    Cancelled,
};

QString retryEndingName(RetryEnding ending); // "succeeded", "failed", ...

struct RetryResult
{
    RetryEnding ending = RetryEnding::Succeeded;
    int attempts = 0;                  // attempts that reached the service
    std::optional<ServiceError> error; // why it ended, unless it succeeded
};

// Hears everything an execution does. finished() comes exactly once and last; the execution must
// not be destroyed from inside a callback (defer it, e.g. with a queued call).
class RetryObserver
{
public:
    virtual ~RetryObserver() = default;
    virtual void attemptStarted(int /*attempt*/) {}
    virtual void attemptSucceeded(int /*attempt*/, Duration /*latency*/) {}
    virtual void attemptFailed(int /*attempt*/, const ServiceError& /*error*/, Duration /*latency*/)
    {}
    virtual void retryScheduled(int /*nextAttempt*/, Duration /*delay*/,
                                const ServiceError& /*cause*/)
    {}
    virtual void finished(const RetryResult& result) = 0;
};

// Runs one call's attempts: asks the breaker, starts an attempt, waits for its result, and on a
// transient error waits (on a clock timer, never a sleeping thread) and tries again, while attempts
// and the retry budget last. Attempts are asynchronous: the attempt function starts the work and
// the work later calls succeed() or fail() with the attempt number, possibly before the attempt
// function has even returned. Results for an attempt that is no longer current are ignored.
//
// Lives on one thread: the clock's timer thread, where results must also be delivered.
class RetryExecution final
{
public:
    using Attempt = std::function<void(int attempt)>;
    using Abort = std::function<void(int attempt)>;

    // breaker and budget may be null. The policy, clock, observer, breaker and budget must outlive
    // the execution. seed drives the backoff jitter.
    RetryExecution(const RetryPolicy& policy, Clock& clock, RetryObserver& observer,
                   CircuitBreaker* breaker, RetryBudget* budget, std::uint64_t seed = 0);
    ~RetryExecution();
    RetryExecution(const RetryExecution&) = delete;
    RetryExecution& operator=(const RetryExecution&) = delete;

    // Called when an attempt is abandoned (timed out or cancelled) so its work can be stopped.
    void setAbortHandler(Abort abort) { m_abort = std::move(abort); }

    void start(Attempt attempt);
    void succeed(int attempt);
    void fail(int attempt, const ServiceError& error);
    // Ends the execution now: a pending retry is dropped, an attempt in flight is abandoned.
    void cancel(const QString& reason);
    // While waiting to retry, if the breaker now refuses calls: ends the execution as Rejected at
    // once instead of when the backoff is over. Returns whether it did.
    bool rejectPendingRetry();

    bool isFinished() const noexcept { return m_finished; }
    int currentAttempt() const noexcept { return m_attempt; }

private:
    void launch();
    ServiceError breakerRefusal() const;
    bool takeAttempt(int attempt) noexcept;
    void settleFailure(int attempt, const ServiceError& error);
    void onAttemptTimeout(int attempt);
    void finish(RetryEnding ending, std::optional<ServiceError> error);
    void cancelTimers() noexcept;

    const RetryPolicy& m_policy;
    Clock& m_clock;
    RetryObserver& m_observer;
    CircuitBreaker* const m_breaker;
    RetryBudget* const m_budget;
    BackoffState m_backoff;
    Attempt m_attemptFn;
    Abort m_abort;
    Permit m_permit;
    TimePoint m_attemptStart;
    TimerId m_retryTimer = 0;
    TimerId m_timeoutTimer = 0;
    int m_attempt = 0;
    bool m_inFlight = false;
    bool m_finished = false;
};

} // namespace breakwater
