#include "pipelineworker.h"

#include "clock/systemclock.h"
#include "health/healthchecker.h"

namespace breakwater {

PipelineWorker::PipelineWorker(PipelineOptions options, ServiceFactory factory,
                               EventPublisher& events, CallQueue& queue)
    : m_options(std::move(options))
    , m_factory(std::move(factory))
    , m_events(events)
    , m_queue(queue)
    , m_policy(m_options.retry)
    , m_budget(m_options.retry.budget)
{}

PipelineWorker::~PipelineWorker() = default;

void PipelineWorker::initialize()
{
    m_clock = std::make_unique<SystemClock>();
    m_service = m_factory();
    m_serviceName = m_service->name();
    m_breaker = std::make_unique<CircuitBreaker>(m_serviceName, m_options.breaker, *m_clock);
    m_breaker->setTransitionListener(
        [this](const BreakerTransition& transition) { publishTransition(transition); });
    m_context = std::make_unique<CallContext>(CallContext{*m_service, *m_clock, m_policy,
                                                          *m_breaker, m_budget, m_events,
                                                          m_serviceName, [this](CallRun& run) {
                                                              callEnded(run);
                                                          }});
    if (m_options.healthChecks) {
        m_health = std::make_unique<HealthChecker>(*m_clock, m_options.health);
        m_health->addTarget(m_serviceName, m_service->healthProbe(), *m_breaker);
        m_health->setProbeListener([this](const ProbeReport& report) { publishProbe(report); });
        m_health->start();
    }
}

void PipelineWorker::shutdown()
{
    m_shuttingDown = true;
    if (m_health)
        m_health->stop();
    for (const QueuedCall& call : m_queue.takeAll())
        skip(call, QStringLiteral("shutting_down"));
    // Cancelling ends each run through callEnded(), which moves it out of m_active.
    std::vector<CallRun*> running;
    running.reserve(m_active.size());
    for (auto& [id, run] : m_active)
        running.push_back(run.get());
    for (CallRun* run : running)
        run->cancel(QStringLiteral("the pipeline is shutting down"));
    reap();
    m_health.reset();
    m_breaker->setTransitionListener({});
    m_context.reset();
    m_breaker.reset();
    m_service.reset();
    m_clock.reset();
}

void PipelineWorker::pump()
{
    m_pumpPosted.store(false, std::memory_order_relaxed);
    reap();
    if (m_shuttingDown)
        return;
    if (m_breakerOpened.exchange(false))
        endWaitingRetries();
    const auto maxInFlight = std::size_t(m_options.pipeline.maxInFlight);
    for (;;) {
        // An open breaker skips the backlog at once, in-flight limit or not: nothing waits for a
        // slot only to be refused.
        const bool open = rejectsCalls(m_breaker->state());
        if (!open && m_active.size() >= maxInFlight)
            return; // a call that ends pumps again
        std::optional<QueuedCall> call = m_queue.pop();
        if (!call)
            return;
        if (open) {
            skip(*call, QStringLiteral("breaker_open"));
            continue;
        }
        const std::uint64_t id = call->request.callId;
        auto run = std::make_unique<CallRun>(*m_context, std::move(*call));
        CallRun* raw = run.get();
        m_active.emplace(id, std::move(run));
        m_inFlight.store(int(m_active.size()), std::memory_order_relaxed);
        raw->start();
    }
}

void PipelineWorker::probeNow()
{
    if (m_health)
        m_health->probeNow(m_serviceName);
}

void PipelineWorker::skip(const QueuedCall& call, const QString& reason)
{
    m_events.publish(skippedCallEvent(m_serviceName, m_breaker->state(), call.request.callId,
                                      reason, m_clock->now() - call.submittedAt));
}

void PipelineWorker::callEnded(CallRun& run)
{
    auto it = m_active.find(run.callId());
    if (it == m_active.end())
        return;
    m_ended.push_back(std::move(it->second));
    m_active.erase(it);
    m_inFlight.store(int(m_active.size()), std::memory_order_relaxed);
    // The run is inside its own callback: destroy it, and take the next call, from the event loop.
    postPump();
}

void PipelineWorker::reap()
{
    m_ended.clear();
}

void PipelineWorker::endWaitingRetries()
{
    // Ending a run moves it out of m_active: walk a copy.
    std::vector<CallRun*> runs;
    runs.reserve(m_active.size());
    for (auto& [id, run] : m_active)
        runs.push_back(run.get());
    for (CallRun* run : runs)
        run->breakerOpened();
}

void PipelineWorker::postPump()
{
    if (m_shuttingDown || m_pumpPosted.exchange(true, std::memory_order_relaxed))
        return;
    QMetaObject::invokeMethod(this, &PipelineWorker::pump, Qt::QueuedConnection);
}

void PipelineWorker::publishTransition(const BreakerTransition& transition)
{
    const bool opened = rejectsCalls(transition.to);
    Event e;
    e.time = transition.wallTime;
    e.type = EventType::BreakerTransition;
    e.level =
        opened ? EventLevel::Error
               : (transition.to == BreakerState::Closed ? EventLevel::Info : EventLevel::Warning);
    e.service = transition.service;
    e.state = transition.to;
    e.fromState = transition.from;
    e.toState = transition.to;
    e.reason = transitionReasonName(transition.reason);
    e.message = describeTransition(transition);
    // How long the breaker stays open: the dashboard counts down to the half-open trial from it.
    if (transition.to == BreakerState::Open)
        e.delayMs =
            std::chrono::duration_cast<std::chrono::milliseconds>(transition.openWait).count();
    m_events.publish(std::move(e));
    // Calls queued behind the in-flight limit are skipped now rather than when a slot frees, and
    // calls waiting to retry end now rather than after their backoff. (The listener may run on an
    // operator's thread: the work is posted to the pipeline's.)
    if (opened) {
        m_breakerOpened.store(true);
        postPump();
    }
}

void PipelineWorker::publishProbe(const ProbeReport& report)
{
    Event e = m_context->event(EventType::HealthProbe,
                               report.healthy ? EventLevel::Debug : EventLevel::Warning);
    e.state = report.after;
    e.latencyMs = toMilliseconds(report.latency);
    e.reason = report.healthy ? QStringLiteral("healthy") : QStringLiteral("unhealthy");
    if (report.error)
        e.setError(*report.error);
    m_events.publish(std::move(e));
}

} // namespace breakwater
