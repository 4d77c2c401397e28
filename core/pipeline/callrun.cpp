#include "callrun.h"

namespace breakwater {

double toMilliseconds(Duration duration) noexcept
{
    return std::chrono::duration<double, std::milli>(duration).count();
}

Event skippedCallEvent(const QString& service, std::optional<BreakerState> state,
                       std::uint64_t callId, const QString& reason, Duration waited)
{
    Event e;
    e.time = std::chrono::system_clock::now();
    e.type = EventType::CallSkipped;
    e.level = EventLevel::Warning;
    e.service = service;
    e.callId = callId;
    e.state = state;
    e.reason = reason;
    e.errorKind = ErrorKind::Rejected;
    e.latencyMs = toMilliseconds(waited);
    return e;
}

CallRun::CallRun(CallContext& context, QueuedCall call)
    : m_context(context)
    , m_call(std::move(call))
    , m_execution(context.policy, context.clock, *this, &context.breaker, &context.budget,
                  m_call.request.callId)
{
    m_execution.setAbortHandler([this](int) {
        if (m_request != 0)
            m_context.service.cancel(std::exchange(m_request, 0));
    });
}

CallRun::~CallRun() = default;

void CallRun::start()
{
    Event started = callEvent(EventType::CallStarted, EventLevel::Info);
    m_context.events.publish(std::move(started));
    m_execution.start([this](int n) { attempt(n); });
}

void CallRun::cancel(const QString& reason)
{
    m_execution.cancel(reason);
}

void CallRun::attempt(int attempt)
{
    const SynthesisRequest request{m_call.request.text, m_call.request.voiceId};
    const TtsService::RequestId id =
        m_context.service.synthesize(request, [this, attempt](const SynthesisResult& r) {
            m_answeredAttempt = attempt;
            m_request = 0;
            if (r.ok())
                m_execution.succeed(attempt);
            else
                m_execution.fail(attempt, *r.error);
        });
    // A service may answer before synthesize() returns: then there is nothing left to cancel.
    if (m_answeredAttempt != attempt)
        m_request = id;
}

Event CallRun::callEvent(EventType type, EventLevel level) const
{
    Event e = m_context.event(type, level);
    e.callId = m_call.request.callId;
    return e;
}

void CallRun::attemptStarted(int attempt)
{
    Event e = callEvent(EventType::AttemptStarted, EventLevel::Debug);
    e.attempt = attempt;
    m_context.events.publish(std::move(e));
}

void CallRun::attemptSucceeded(int attempt, Duration latency)
{
    Event e = callEvent(EventType::AttemptSucceeded, EventLevel::Debug);
    e.attempt = attempt;
    e.latencyMs = toMilliseconds(latency);
    m_context.events.publish(std::move(e));
}

void CallRun::attemptFailed(int attempt, const ServiceError& error, Duration latency)
{
    Event e = callEvent(EventType::AttemptFailed, EventLevel::Warning);
    e.attempt = attempt;
    e.latencyMs = toMilliseconds(latency);
    e.setError(error);
    m_context.events.publish(std::move(e));
}

void CallRun::retryScheduled(int nextAttempt, Duration delay, const ServiceError& cause)
{
    Event e = callEvent(EventType::RetryScheduled, EventLevel::Info);
    e.attempt = nextAttempt;
    e.delayMs = std::chrono::duration_cast<std::chrono::milliseconds>(delay).count();
    e.reason = cause.retryAfter ? QStringLiteral("retry_after") : QStringLiteral("backoff");
    e.setError(cause);
    m_context.events.publish(std::move(e));
}

void CallRun::finished(const RetryResult& result)
{
    const bool skipped = result.ending == RetryEnding::Rejected && result.attempts == 0;
    EventType type = EventType::CallFailed;
    EventLevel level = EventLevel::Error;
    if (result.ending == RetryEnding::Succeeded) {
        type = EventType::CallSucceeded;
        level = EventLevel::Info;
    } else if (skipped) {
        type = EventType::CallSkipped;
        level = EventLevel::Warning;
    }
    Event e = callEvent(type, level);
    if (result.attempts > 0)
        e.attempt = result.attempts;
    e.latencyMs = toMilliseconds(m_context.clock.now() - m_call.submittedAt);
    if (result.error)
        e.setError(*result.error);
    switch (result.ending) {
    case RetryEnding::Succeeded:
        if (result.attempts > 1)
            e.reason = QStringLiteral("succeeded_after_retry");
        break;
    case RetryEnding::Rejected:
        // Half-open lets a few trial calls through; the others are skipped like an open one's.
        e.reason = m_context.breaker.state() == BreakerState::HalfOpen
                       ? QStringLiteral("half_open_trials_taken")
                       : QStringLiteral("breaker_open");
        break;
    case RetryEnding::Failed:
        e.reason = QStringLiteral("permanent_error");
        break;
    case RetryEnding::AttemptsExhausted:
        e.reason = QStringLiteral("retries_exhausted");
        break;
    case RetryEnding::BudgetExhausted:
        e.reason = QStringLiteral("retry_budget_exhausted");
        break;
    case RetryEnding::Cancelled:
        e.reason = QStringLiteral("cancelled");
        break;
    }
    m_context.events.publish(std::move(e));
    m_context.ended(*this);
}

} // namespace breakwater
