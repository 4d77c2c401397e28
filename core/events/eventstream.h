#pragma once

#include "eventsink.h"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

namespace breakwater {

struct EventStreamConfig
{
    // Events waiting for the sinks, at most. Past it new events are counted and shed, never
    // waited for: a stuck disk must not stall a call. An `events_dropped` event says how many.
    // Calls' endings, breaker transitions, alerts and fault changes have a further quarter of it
    // to themselves, so the facts that matter most are the last to go.
    // About 190 bytes each: the default holds a few seconds of the fastest pipeline in ~50 MB.
    std::size_t capacity = std::size_t(1) << 18;
    // Sinks are flushed at least this often while the stream runs.
    Duration flushInterval = std::chrono::milliseconds(100);
};

// The one stream of events from the pipeline (and the simulator, the alert manager, ...) to every
// sink. Publishing takes a short lock and never blocks on a sink: batches are handed to the sinks
// on the stream's own dispatch thread ("bw-events"). Events published before start() wait for it;
// stop() hands over everything published before it returns, including what sinks publish in
// response (an alert raised for a transition), then flushes every sink.
class EventStream final : public EventPublisher
{
public:
    explicit EventStream(EventStreamConfig config = {});
    ~EventStream() override; // stops the stream
    EventStream(const EventStream&) = delete;
    EventStream& operator=(const EventStream&) = delete;

    // Sinks are added before start() and must outlive the stream's run.
    void addSink(EventSink* sink);
    void start();
    void stop();
    // Waits until the sinks have been handed everything published before the call, without
    // stopping. Not from a sink (the dispatch thread would wait for itself).
    void drain();

    // Safe from any thread, including from a sink. Stamps the sequence number.
    void publish(Event event) override;

    std::uint64_t publishedCount() const noexcept { return m_published.load(); }
    std::uint64_t droppedCount() const noexcept { return m_dropped.load(); }
    // Events published and waiting for the dispatch thread: how far the sinks are behind. Read
    // without the lock (metrics sample it), so it may be a moment old.
    std::size_t queuedCount() const noexcept { return m_queued.load(std::memory_order_relaxed); }
    std::size_t capacity() const noexcept { return m_config.capacity; }

private:
    void run();
    bool dispatchPending(); // false when nothing was waiting
    void flushSinks();

    const EventStreamConfig m_config;
    std::vector<EventSink*> m_sinks;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<Event> m_pending;        // guarded by m_mutex
    std::uint64_t m_nextSequence = 1;    // guarded by m_mutex
    std::uint64_t m_unreportedDrops = 0; // guarded by m_mutex
    bool m_stopping = false;             // guarded by m_mutex
    std::uint64_t m_handedOver = 0;      // guarded by m_mutex: sequence of the last dispatched
    std::condition_variable m_drained;

    std::vector<Event> m_batch; // dispatch thread only

    std::atomic<std::uint64_t> m_published{0};
    std::atomic<std::uint64_t> m_dropped{0};
    std::atomic<std::size_t> m_queued{0}; // m_pending.size(), stored under m_mutex
    std::thread m_thread;
};

} // namespace breakwater
