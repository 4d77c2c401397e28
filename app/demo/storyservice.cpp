#include "storyservice.h"

namespace breakwater::demo {

StoryService::StoryService(Clock& clock)
    : m_clock(clock)
{}

void StoryService::request(Done done)
{
    const bool up = m_up;
    m_clock.schedule(std::chrono::milliseconds(40), [done = std::move(done), up] {
        if (up)
            return done(std::nullopt);
        ServiceError error =
            ServiceError::transient(QStringLiteral("HTTP 503 Service Unavailable"));
        error.httpStatus = 503;
        done(error);
    });
}

} // namespace breakwater::demo
