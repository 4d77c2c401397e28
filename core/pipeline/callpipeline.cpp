#include "callpipeline.h"

#include "callrun.h"
#include "pipelineworker.h"
#include "threading/callandwait.h"

#include <QThread>

#include <mutex>

namespace breakwater {

CallPipeline::CallPipeline(PipelineOptions options, ServiceFactory factory, EventPublisher& events,
                           QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_factory(std::move(factory))
    , m_events(events)
    , m_queue(std::size_t(m_options.pipeline.queueCapacity))
{}

CallPipeline::~CallPipeline()
{
    stop();
}

void CallPipeline::start()
{
    if (isRunning())
        return;
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("bw-pipeline"));
    m_worker = new PipelineWorker(m_options, m_factory, m_events, m_queue);
    m_worker->moveToThread(m_thread);
    m_thread->start();
    callAndWait(m_worker, [worker = m_worker] { worker->initialize(); });
    // Published under the door, so a submitter that finds the pipeline running also finds them.
    std::unique_lock door(m_door);
    m_breaker = m_worker->breaker();
    m_serviceName = m_worker->serviceName();
    m_running.store(true, std::memory_order_release);
}

void CallPipeline::stop()
{
    {
        // Once the door is closed no submitter can reach the breaker, which shutdown destroys.
        std::unique_lock door(m_door);
        if (!m_running.exchange(false, std::memory_order_acq_rel))
            return;
        m_breaker = nullptr;
    }
    callAndWait(m_worker, [worker = m_worker] { worker->shutdown(); });
    m_thread->quit();
    m_thread->wait();
    // The thread is gone and the worker owns nothing tied to it any more: safe to delete here.
    delete m_worker;
    m_worker = nullptr;
    delete m_thread;
    m_thread = nullptr;
}

SubmitResult CallPipeline::submit(CallRequest request)
{
    const TimePoint submittedAt = std::chrono::steady_clock::now();
    if (request.callId == 0)
        request.callId = m_nextCallId.fetch_add(1, std::memory_order_relaxed);
    std::shared_lock door(m_door);
    if (!m_running.load(std::memory_order_acquire))
        return skipAtOnce(request, submittedAt, QStringLiteral("not_running"));
    if (rejectsCalls(m_breaker->state()))
        return skipAtOnce(request, submittedAt, QStringLiteral("breaker_open"));
    const std::uint64_t id = request.callId;
    switch (m_queue.push({std::move(request), submittedAt})) {
    case CallQueue::Push::Refused: {
        CallRequest refused;
        refused.callId = id;
        return skipAtOnce(refused, submittedAt, QStringLiteral("queue_full"));
    }
    case CallQueue::Push::QueuedFirst:
        QMetaObject::invokeMethod(m_worker, &PipelineWorker::pump, Qt::QueuedConnection);
        break;
    case CallQueue::Push::Queued:
        break;
    }
    return {id, true, {}};
}

SubmitResult CallPipeline::skipAtOnce(const CallRequest& request, TimePoint submittedAt,
                                      QString reason)
{
    const std::optional<BreakerState> state =
        m_breaker ? std::optional(m_breaker->state()) : std::nullopt;
    m_events.publish(skippedCallEvent(m_serviceName, state, request.callId, reason,
                                      std::chrono::steady_clock::now() - submittedAt));
    return {request.callId, false, std::move(reason)};
}

void CallPipeline::probeNow()
{
    std::shared_lock door(m_door);
    if (m_running.load(std::memory_order_acquire))
        QMetaObject::invokeMethod(m_worker, &PipelineWorker::probeNow, Qt::QueuedConnection);
}

int CallPipeline::callsInFlight() const noexcept
{
    std::shared_lock door(m_door);
    return m_worker && m_running.load(std::memory_order_acquire) ? m_worker->callsInFlight() : 0;
}

} // namespace breakwater
