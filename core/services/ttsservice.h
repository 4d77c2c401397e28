#pragma once

#include "errors/serviceerror.h"
#include "health/healthprobe.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <functional>
#include <optional>

namespace breakwater {

// What one call asks a text-to-speech service for.
struct SynthesisRequest
{
    QString text;
    QString voiceId; // empty: the service's configured voice
};

// How one synthesis ended: audio, or the error that classified the failure.
struct SynthesisResult
{
    std::optional<ServiceError> error; // set when it failed
    QByteArray audio;
    QString contentType; // e.g. "audio/mpeg"

    bool ok() const noexcept { return !error.has_value(); }
};

// A text-to-speech provider, as the pipeline sees it. Implementations live on one thread (the
// pipeline's), start work asynchronously and report on that thread.
class TtsService
{
public:
    using RequestId = std::uint64_t; // never 0
    using Done = std::function<void(const SynthesisResult& result)>;

    virtual ~TtsService() = default;

    // The service's name for breakers, events and logs: "elevenlabs".
    virtual QString name() const = 0;

    // Starts one synthesis. done is called exactly once, later or even before this returns,
    // unless the request is cancelled first.
    virtual RequestId synthesize(const SynthesisRequest& request, Done done) = 0;

    // Abandons a request: its connection is dropped and its done is never called. Unknown or
    // finished ids are ignored.
    virtual void cancel(RequestId id) = 0;

    // The cheap "are you up?" question the health checker asks.
    virtual HealthProbe& healthProbe() = 0;
};

} // namespace breakwater
