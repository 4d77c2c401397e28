#pragma once

#include <QString>

#include <chrono>
#include <cstdint>
#include <optional>

namespace breakwater {

// What the ElevenLabs simulator does with each request. The health endpoint follows the same
// plan, so a restored service is observed by probes, not assumed.
enum class FaultMode : quint8
{
    Healthy,            // 200 with audio
    ServiceUnavailable, // 503
    InternalError,      // 500
    RateLimited,        // 429 too_many_concurrent_requests, with Retry-After
    InvalidApiKey,      // 401 invalid_api_key
    QuotaExceeded,      // 401 quota_exceeded
    Hang,               // accepts the request and never answers
    Slow,               // answers healthy after an added latency
    ConnectionReset,    // drops the connection (TCP RST) without answering
    MalformedBody,      // 200 with a body that is not audio (wrong content type, truncated)
    Flapping,           // fails a fraction of requests at random (seedable), the rest healthy
};
inline constexpr int kFaultModeCount = int(FaultMode::Flapping) + 1;

// "healthy", "503", "500", "429", "401_invalid_key", "401_quota", "hang", "slow", "reset",
// "malformed", "flapping": the names config, scenarios, the command line and the log use.
QString faultModeName(FaultMode mode);
std::optional<FaultMode> faultModeFromName(QStringView name);

struct FaultPlan
{
    FaultMode mode = FaultMode::Healthy;
    // Added before every answer in every mode (Slow uses it as its latency; default 0 elsewhere).
    std::chrono::milliseconds latency{0};
    std::chrono::seconds retryAfter{1}; // RateLimited: the Retry-After header (0: none sent)
    double flappingFailureRate = 0.5;   // Flapping: the fraction of requests that fail
    FaultMode flappingFailure = FaultMode::ServiceUnavailable; // Flapping: how they fail
    std::uint64_t seed = 1;                                    // Flapping: the random sequence

    bool isHealthy() const noexcept { return mode == FaultMode::Healthy; }
    friend bool operator==(const FaultPlan&, const FaultPlan&) = default;
};

// "503", "slow 800 ms", "flapping 30% as 503 (seed 7)", "429 with Retry-After 2 s": for the log
// and the window.
QString describeFaultPlan(const FaultPlan& plan);

// Why the plan is unusable (naming the field), or empty.
QString validateFaultPlan(const FaultPlan& plan);

} // namespace breakwater
