#include "eventbridge.h"

#include <algorithm>

namespace breakwater {

EventBridge::EventBridge(std::size_t backlogLimit, QObject* parent)
    : QObject(parent)
    , m_backlogLimit(std::max<std::size_t>(backlogLimit, 1))
{
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &EventBridge::deliverPending);
}

void EventBridge::consume(std::span<const Event> events)
{
    std::lock_guard lock(m_mutex);
    // Only the newest backlogLimit events can survive this batch.
    if (events.size() >= m_backlogLimit) {
        m_droppedTotal += m_backlog.size() + (events.size() - m_backlogLimit);
        m_backlog.clear();
        events = events.last(m_backlogLimit);
    } else if (m_backlog.size() + events.size() > m_backlogLimit) {
        const std::size_t excess = m_backlog.size() + events.size() - m_backlogLimit;
        m_backlog.erase(m_backlog.begin(), m_backlog.begin() + std::ptrdiff_t(excess));
        m_droppedTotal += excess;
    }
    m_backlog.insert(m_backlog.end(), events.begin(), events.end());
}

void EventBridge::start(std::chrono::milliseconds interval)
{
    m_timer.start(interval);
}

void EventBridge::stop()
{
    m_timer.stop();
}

void EventBridge::deliverPending()
{
    m_batch.clear();
    {
        std::lock_guard lock(m_mutex);
        m_batch.swap(m_backlog);
        m_droppedSeen = m_droppedTotal;
    }
    if (m_batch.empty())
        return;
    m_delivered += m_batch.size();
    Q_EMIT eventsArrived(std::span<const Event>(m_batch));
    // Keep a modest buffer for the next swap; give back what a burst grew.
    if (m_batch.capacity() > 65536) {
        m_batch.clear();
        m_batch.shrink_to_fit();
    }
}

} // namespace breakwater
