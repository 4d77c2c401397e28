#include "sinkrelay.h"

namespace breakwater {

void SinkRelay::attach(EventSink* sink)
{
    std::lock_guard lock(m_mutex);
    m_target = sink;
}

void SinkRelay::detach()
{
    attach(nullptr);
}

void SinkRelay::consume(std::span<const Event> events)
{
    std::lock_guard lock(m_mutex);
    if (m_target)
        m_target->consume(events);
}

void SinkRelay::flush()
{
    std::lock_guard lock(m_mutex);
    if (m_target)
        m_target->flush();
}

} // namespace breakwater
