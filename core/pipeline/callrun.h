#pragma once

#include "callcontext.h"
#include "callrequest.h"
#include "retry/retryexecution.h"

namespace breakwater {

// One call's journey: its attempts through the breaker and the service, its retries, and exactly
// one terminal event at the end, whatever happens. Lives on the pipeline thread.
class CallRun final : public RetryObserver
{
public:
    CallRun(CallContext& context, QueuedCall call);
    ~CallRun() override;
    CallRun(const CallRun&) = delete;
    CallRun& operator=(const CallRun&) = delete;

    void start();
    // Ends the call now (shutdown): the attempt in flight is dropped, the call fails as cancelled.
    void cancel(const QString& reason);
    // The breaker opened: a call waiting to retry ends now instead of after its backoff.
    void breakerOpened() { m_execution.rejectPendingRetry(); }

    std::uint64_t callId() const noexcept { return m_call.request.callId; }
    bool isFinished() const noexcept { return m_execution.isFinished(); }

private:
    void attempt(int attempt);
    Event callEvent(EventType type, EventLevel level) const;

    void attemptStarted(int attempt) override;
    void attemptSucceeded(int attempt, Duration latency) override;
    void attemptFailed(int attempt, const ServiceError& error, Duration latency) override;
    void retryScheduled(int nextAttempt, Duration delay, const ServiceError& cause) override;
    void finished(const RetryResult& result) override;

    CallContext& m_context;
    QueuedCall m_call;
    RetryExecution m_execution;
    TtsService::RequestId m_request = 0; // the synthesis in flight, 0 when none
    int m_answeredAttempt = 0;           // the last attempt the service answered
};

// Milliseconds as the log writes them.
double toMilliseconds(Duration duration) noexcept;

// A call refused before any attempt (breaker open, queue full, shutting down): its only event.
Event skippedCallEvent(const QString& service, std::optional<BreakerState> state,
                       std::uint64_t callId, const QString& reason, Duration waited);

} // namespace breakwater
