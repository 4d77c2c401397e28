#pragma once

#include "events/eventsink.h"

#include <QList>

#include <algorithm>
#include <mutex>
#include <vector>

namespace breakwater::test {

// Keeps every event the stream hands it, for tests to read from any thread.
class EventRecorder final : public breakwater::EventSink
{
public:
    void consume(std::span<const Event> events) override
    {
        std::lock_guard lock(m_mutex);
        m_events.insert(m_events.end(), events.begin(), events.end());
    }

    std::vector<Event> events() const
    {
        std::lock_guard lock(m_mutex);
        return m_events;
    }

    int count(EventType type) const
    {
        std::lock_guard lock(m_mutex);
        return int(std::count_if(m_events.begin(), m_events.end(),
                                 [type](const Event& e) { return e.type == type; }));
    }

    int terminalCount() const
    {
        std::lock_guard lock(m_mutex);
        return int(std::count_if(m_events.begin(), m_events.end(),
                                 [](const Event& e) { return isTerminal(e.type); }));
    }

    // The events of one call, in order.
    std::vector<Event> ofCall(std::uint64_t callId) const
    {
        std::lock_guard lock(m_mutex);
        std::vector<Event> out;
        for (const Event& e : m_events) {
            if (e.callId == callId)
                out.push_back(e);
        }
        return out;
    }

    std::vector<EventType> typesOfCall(std::uint64_t callId) const
    {
        std::vector<EventType> types;
        for (const Event& e : ofCall(callId))
            types.push_back(e.type);
        return types;
    }

private:
    mutable std::mutex m_mutex;
    std::vector<Event> m_events;
};

} // namespace breakwater::test
