#pragma once

#include "errors/serviceerror.h"

#include <functional>
#include <optional>

namespace breakwater {

// A cheap question to a service: "are you up?" (for ElevenLabs, GET /v1/models). Implementations
// start the check and call done exactly once, on the clock's thread, with no error when healthy.
class HealthProbe
{
public:
    using Done = std::function<void(const std::optional<ServiceError>& error)>;

    virtual ~HealthProbe() = default;
    virtual void probe(Done done) = 0;
    // The checker stopped waiting (timeout or shutdown): drop the check in flight, if any.
    virtual void abort() {}
};

} // namespace breakwater
