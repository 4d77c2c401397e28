#pragma once

#include "eventsink.h"

#include <mutex>

namespace breakwater {

// A sink that passes the stream on to another sink attached while the stream runs. The stream
// takes its sinks before it starts; a window that runs a scenario later attaches the scenario's
// sink here and detaches it before destroying it. detach() waits for a batch being handed over,
// so once it returns the old sink is never called again.
class SinkRelay final : public EventSink
{
public:
    SinkRelay() = default;
    SinkRelay(const SinkRelay&) = delete;
    SinkRelay& operator=(const SinkRelay&) = delete;

    void attach(EventSink* sink);
    void detach();

    void consume(std::span<const Event> events) override;
    void flush() override;

private:
    std::mutex m_mutex;
    EventSink* m_target = nullptr; // guarded by m_mutex
};

} // namespace breakwater
