#include "callqueue.h"

namespace breakwater {

CallQueue::Push CallQueue::push(QueuedCall call)
{
    std::lock_guard lock(m_mutex);
    if (m_calls.size() >= m_capacity)
        return Push::Refused;
    m_calls.push_back(std::move(call));
    if (m_awake)
        return Push::Queued;
    m_awake = true;
    return Push::QueuedFirst;
}

std::optional<QueuedCall> CallQueue::pop()
{
    std::lock_guard lock(m_mutex);
    if (m_calls.empty()) {
        m_awake = false;
        return std::nullopt;
    }
    QueuedCall call = std::move(m_calls.front());
    m_calls.pop_front();
    return call;
}

std::deque<QueuedCall> CallQueue::takeAll()
{
    std::lock_guard lock(m_mutex);
    std::deque<QueuedCall> all;
    all.swap(m_calls);
    m_awake = false;
    return all;
}

std::size_t CallQueue::size() const
{
    std::lock_guard lock(m_mutex);
    return m_calls.size();
}

} // namespace breakwater
