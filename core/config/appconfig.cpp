#include "appconfig.h"

namespace breakwater {

// The seed system retried a failed call 3 times: 4 attempts in all.
AppConfig::AppConfig()
{
    retry.maxAttempts = 4;
    // Equal jitter keeps half of each exponential step fixed, so waits still grow from one retry
    // to the next (the seed's "time backoff") while concurrent callers spread out.
    retry.backoff.kind = BackoffKind::EqualJitter;
}

} // namespace breakwater
