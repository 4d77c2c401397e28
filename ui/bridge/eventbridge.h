#pragma once

#include "events/eventsink.h"

#include <QObject>
#include <QTimer>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <span>
#include <vector>

namespace breakwater {

// Carries the event stream to the GUI thread. consume() runs on the stream's dispatch thread and
// only appends to a locked backlog; a timer on the GUI thread takes the whole backlog at most once
// per interval and hands it to the views as one batch. So the GUI never waits on the pipeline, and
// a flood costs the window ten batches a second, not one signal per event.
//
// If the window stalls, the backlog is bounded: the oldest events are dropped first and counted,
// so the dashboard can say it missed some (the log on disk still has them).
class EventBridge final : public QObject, public EventSink
{
    Q_OBJECT

public:
    static constexpr std::chrono::milliseconds kDefaultInterval{100};

    explicit EventBridge(std::size_t backlogLimit, QObject* parent = nullptr);

    // Stream thread.
    void consume(std::span<const Event> events) override;

    // GUI thread: starts delivering batches every interval.
    void start(std::chrono::milliseconds interval = kDefaultInterval);
    void stop();
    // Delivers what is waiting now (also what the timer does).
    void deliverPending();

    // Counters for the status bar, read on the GUI thread.
    std::uint64_t eventsDelivered() const noexcept { return m_delivered; }
    std::uint64_t eventsDropped() const noexcept { return m_droppedSeen; }

Q_SIGNALS:
    // GUI thread, at most once per interval, never empty. The span lives until the slots return:
    // copy what you keep.
    void eventsArrived(std::span<const breakwater::Event> events);

private:
    const std::size_t m_backlogLimit;
    QTimer m_timer;

    std::mutex m_mutex;
    std::vector<Event> m_backlog;     // guarded by m_mutex
    std::uint64_t m_droppedTotal = 0; // guarded by m_mutex

    std::vector<Event> m_batch; // GUI thread: swapped with the backlog, reused
    std::uint64_t m_delivered = 0;
    std::uint64_t m_droppedSeen = 0;
};

} // namespace breakwater
