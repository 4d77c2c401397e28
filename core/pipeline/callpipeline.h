#pragma once

#include "callqueue.h"
#include "pipelineoptions.h"
#include "services/ttsservice.h"

#include <QObject>

#include <atomic>
#include <functional>
#include <memory>
#include <shared_mutex>

class QThread;

namespace breakwater {

class CircuitBreaker;
class EventPublisher;
class PipelineWorker;

// The resilient call pipeline: takes calls from any thread and runs each through the service's
// circuit breaker, the retry policy and the service itself on its own thread ("bw-pipeline"),
// publishing every step as an event. Every submitted call ends in exactly one terminal event.
// Never blocks a caller: a full queue or an open breaker skips the call at once, with its reason.
class CallPipeline final : public QObject
{
    Q_OBJECT

public:
    // Builds the service client; called on the pipeline thread, where the client then lives.
    using ServiceFactory = std::function<std::unique_ptr<TtsService>()>;

    CallPipeline(PipelineOptions options, ServiceFactory factory, EventPublisher& events,
                 QObject* parent = nullptr);
    ~CallPipeline() override; // stops

    // Starts the thread and builds the service there; returns once calls can be submitted.
    void start();
    // Ends every call (queued: call_skipped "shutting_down"; running: call_failed "cancelled"),
    // stops probing and the thread. Returns when all of it is done. Calls submitted afterwards
    // are skipped with "not_running".
    void stop();
    bool isRunning() const noexcept { return m_running.load(std::memory_order_acquire); }

    // Safe from any thread.
    SubmitResult submit(CallRequest request);

    // The service's breaker, for reading its state and for operator actions while the pipeline
    // runs; null when it does not. Ask on the thread that owns the pipeline (the one that calls
    // start() and stop()): the breaker lives until stop(), and only that thread can call it. The
    // breaker itself may then be used from any thread until stop().
    CircuitBreaker* breaker() const noexcept { return m_breaker; }
    QString serviceName() const { return m_serviceName; }
    // Asks the health checker to probe now.
    void probeNow();

    std::size_t queuedCalls() const { return m_queue.size(); }
    int callsInFlight() const noexcept;

private:
    SubmitResult skipAtOnce(const CallRequest& request, TimePoint submittedAt, QString reason);

    const PipelineOptions m_options;
    const ServiceFactory m_factory;
    EventPublisher& m_events;
    CallQueue m_queue;
    std::atomic<std::uint64_t> m_nextCallId{1};

    // Submitters hold it shared while they hand a call over; stop() holds it exclusively to
    // close the door, so no call slips into the queue after shutdown emptied it.
    mutable std::shared_mutex m_door;
    std::atomic<bool> m_running{false};

    QThread* m_thread = nullptr;
    PipelineWorker* m_worker = nullptr;
    CircuitBreaker* m_breaker = nullptr;
    QString m_serviceName;
};

} // namespace breakwater
