#include "eventstream.h"

#include <pthread.h>

namespace breakwater {

EventStream::EventStream(EventStreamConfig config)
    : m_config(config)
{
    m_pending.reserve(4096);
    m_batch.reserve(4096);
}

EventStream::~EventStream()
{
    stop();
}

void EventStream::addSink(EventSink* sink)
{
    m_sinks.push_back(sink);
}

void EventStream::start()
{
    if (m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = false;
    }
    m_thread = std::thread([this] {
        pthread_setname_np(pthread_self(), "bw-events");
        run();
    });
}

void EventStream::stop()
{
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void EventStream::drain()
{
    std::unique_lock lock(m_mutex);
    if (!m_thread.joinable())
        return;
    const std::uint64_t target = m_nextSequence - 1;
    m_wake.notify_one();
    m_drained.wait(lock, [this, target] { return m_handedOver >= target || m_stopping; });
}

namespace {

// What the stream keeps even when full: every call's ending (each call has exactly one), breaker
// transitions, alerts and fault changes. They are a small share of all events, so a reserve of a
// quarter of the capacity outlasts any burst that sheds the rest.
bool isEssential(EventType type) noexcept
{
    switch (type) {
    case EventType::CallStarted:
    case EventType::AttemptStarted:
    case EventType::AttemptSucceeded:
    case EventType::AttemptFailed:
    case EventType::RetryScheduled:
    case EventType::HealthProbe:
    case EventType::EventsDropped:
        return false;
    default:
        return true;
    }
}

} // namespace

void EventStream::publish(Event event)
{
    bool wasEmpty = false;
    {
        std::lock_guard lock(m_mutex);
        const std::size_t limit =
            isEssential(event.type) ? m_config.capacity + m_config.capacity / 4 : m_config.capacity;
        if (m_pending.size() >= limit) {
            ++m_unreportedDrops;
            m_dropped.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        event.sequence = m_nextSequence++;
        wasEmpty = m_pending.empty();
        m_pending.push_back(std::move(event));
        m_queued.store(m_pending.size(), std::memory_order_relaxed);
    }
    m_published.fetch_add(1, std::memory_order_relaxed);
    if (wasEmpty)
        m_wake.notify_one();
}

void EventStream::run()
{
    auto lastFlush = std::chrono::steady_clock::now();
    for (;;) {
        bool stopping = false;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, m_config.flushInterval, [this] {
                return !m_pending.empty() || m_unreportedDrops > 0 || m_stopping;
            });
            stopping = m_stopping;
        }
        dispatchPending();
        const auto now = std::chrono::steady_clock::now();
        if (stopping) {
            // Sinks may publish in response to the last batches (an alert for a transition):
            // hand those over too, a bounded number of rounds so a feedback loop cannot spin.
            for (int round = 0; round < 16 && dispatchPending(); ++round) {
            }
            flushSinks();
            return;
        }
        if (now - lastFlush >= m_config.flushInterval) {
            flushSinks();
            lastFlush = now;
        }
    }
}

bool EventStream::dispatchPending()
{
    // Two buffers trade places, so a steady stream allocates nothing once they have grown.
    m_batch.clear();
    {
        std::lock_guard lock(m_mutex);
        if (m_pending.empty() && m_unreportedDrops == 0)
            return false;
        m_batch.swap(m_pending);
        m_queued.store(0, std::memory_order_relaxed);
        // Shed events are reported here, after what got through before them, so the report
        // comes whether or not anything is published afterwards.
        if (m_unreportedDrops > 0) {
            Event drop;
            drop.sequence = m_nextSequence++;
            drop.time = std::chrono::system_clock::now();
            drop.type = EventType::EventsDropped;
            drop.level = EventLevel::Error;
            drop.reason = QStringLiteral("sinks_behind");
            drop.message = QString::number(std::exchange(m_unreportedDrops, 0)) +
                           QStringLiteral(" events were dropped because the sinks fell behind");
            m_batch.push_back(std::move(drop));
        }
    }
    for (EventSink* sink : m_sinks)
        sink->consume(m_batch);
    if (!m_batch.empty()) {
        std::lock_guard lock(m_mutex);
        m_handedOver = m_batch.back().sequence;
    }
    m_drained.notify_all();
    // A burst may have grown the buffer to hundreds of megabytes: give that back once it is over,
    // rather than keeping the high-water mark for the life of the process.
    constexpr std::size_t kKeptCapacity = 1 << 16;
    if (m_batch.capacity() > kKeptCapacity && m_batch.size() < kKeptCapacity / 4) {
        std::vector<Event>().swap(m_batch);
        m_batch.reserve(4096);
    }
    return true;
}

void EventStream::flushSinks()
{
    for (EventSink* sink : m_sinks)
        sink->flush();
}

} // namespace breakwater
