#pragma once

#include "callcontext.h"
#include "callqueue.h"
#include "callrun.h"
#include "pipelineoptions.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <unordered_map>
#include <vector>

namespace breakwater {

class SystemClock;
class HealthChecker;

// The pipeline's side of CallPipeline: lives on the pipeline thread and owns everything calls run
// through there (clock, service client, breaker, retry budget, health checker). Everything but
// the constructor, the destructor and breaker() runs on that thread, with two exceptions: a
// breaker transition forced by an operator is reported (publishTransition) on the operator's
// thread, which therefore only publishes and posts a pump.
class PipelineWorker final : public QObject
{
    Q_OBJECT

public:
    using ServiceFactory = std::function<std::unique_ptr<TtsService>()>;

    PipelineWorker(PipelineOptions options, ServiceFactory factory, EventPublisher& events,
                   CallQueue& queue);
    ~PipelineWorker() override;

    // Builds the clock, the service and the breaker on the pipeline thread.
    void initialize();
    // Ends every call (queued ones skipped, running ones cancelled), stops probing and destroys
    // what initialize() built. Nothing runs on the pipeline thread afterwards.
    void shutdown();

    // Starts or skips what waits in the queue, as far as the in-flight limit allows.
    void pump();
    void probeNow();

    CircuitBreaker* breaker() const noexcept { return m_breaker.get(); }
    QString serviceName() const { return m_serviceName; }
    int callsInFlight() const noexcept { return m_inFlight.load(std::memory_order_relaxed); }

private:
    void skip(const QueuedCall& call, const QString& reason);
    void callEnded(CallRun& run);
    void reap();
    void endWaitingRetries();
    void postPump();
    void publishTransition(const BreakerTransition& transition);
    void publishProbe(const ProbeReport& report);

    const PipelineOptions m_options;
    const ServiceFactory m_factory;
    EventPublisher& m_events;
    CallQueue& m_queue;
    const RetryPolicy m_policy;
    RetryBudget m_budget;

    std::unique_ptr<SystemClock> m_clock;
    std::unique_ptr<TtsService> m_service;
    std::unique_ptr<CircuitBreaker> m_breaker;
    std::unique_ptr<HealthChecker> m_health;
    std::unique_ptr<CallContext> m_context;
    QString m_serviceName;

    std::unordered_map<std::uint64_t, std::unique_ptr<CallRun>> m_active;
    std::vector<std::unique_ptr<CallRun>> m_ended; // finished, destroyed on the next reap
    std::atomic<int> m_inFlight{0};
    std::atomic<bool> m_pumpPosted{false};
    std::atomic<bool> m_breakerOpened{false}; // set by the transition listener, read by pump()
    std::atomic<bool> m_shuttingDown{false};  // read by operator threads in postPump()
};

} // namespace breakwater
