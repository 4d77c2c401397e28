#pragma once

#include "clock/clock.h"
#include "health/healthprobe.h"

namespace breakwater::demo {

// The stand-in service of the demo: answers each request after a short latency, with success
// while up and a 503 while down. The real ElevenLabs client replaces it in the pipeline.
class StoryService final : public HealthProbe
{
public:
    using Done = HealthProbe::Done;

    explicit StoryService(Clock& clock);

    void setUp(bool up) { m_up = up; }
    bool isUp() const { return m_up; }
    void request(Done done);
    void probe(Done done) override { request(std::move(done)); }

private:
    Clock& m_clock;
    bool m_up = true;
};

} // namespace breakwater::demo
