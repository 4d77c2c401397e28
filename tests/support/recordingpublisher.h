#pragma once

#include "eventrecorder.h"

namespace breakwater::test {

// An EventPublisher that keeps what is published, for a component tested without a stream (the
// alert manager publishes its alerts and their deliveries from several threads).
class RecordingPublisher final : public EventPublisher
{
public:
    void publish(Event event) override { m_recorder.consume(std::span<const Event>(&event, 1)); }
    const EventRecorder& recorder() const noexcept { return m_recorder; }

private:
    EventRecorder m_recorder;
};

} // namespace breakwater::test
