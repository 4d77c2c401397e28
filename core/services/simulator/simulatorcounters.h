#pragma once

#include <QString>

#include <array>
#include <cstdint>

namespace breakwater {

// The parts of the ElevenLabs API the simulator tells apart when it counts requests.
enum class SimulatorEndpoint : quint8
{
    TextToSpeech, // POST /v1/text-to-speech/{voice_id}[/stream]
    Models,       // GET /v1/models, the health probe
    Subscription, // GET /v1/user/subscription
    Other,        // anything else (answered 404 or 405)
};
inline constexpr int kSimulatorEndpointCount = int(SimulatorEndpoint::Other) + 1;

// How the simulator finished with one request.
enum class SimulatorOutcome : quint8
{
    Ok,          // a 2xx answer with a well-formed body
    ErrorStatus, // a 4xx or 5xx answer, from the plan or from the request itself
    Hung,        // accepted and never answered
    Reset,       // the connection was reset instead of answered
    Malformed,   // a 200 whose body is not what was asked for
    Abandoned,   // the client went away before a delayed answer was due
};
inline constexpr int kSimulatorOutcomeCount = int(SimulatorOutcome::Abandoned) + 1;

// "text_to_speech", "models", "subscription", "other".
QString simulatorEndpointName(SimulatorEndpoint endpoint);
// "ok", "error_status", "hung", "reset", "malformed", "abandoned".
QString simulatorOutcomeName(SimulatorOutcome outcome);

// A snapshot of what the simulator has seen since it was created (or its counters were reset).
struct SimulatorCounters
{
    std::array<std::uint64_t, kSimulatorEndpointCount> received{};
    std::array<std::uint64_t, kSimulatorOutcomeCount> answered{};
    std::uint64_t connections = 0; // TCP connections that carried at least one request

    std::uint64_t receivedAt(SimulatorEndpoint endpoint) const
    {
        return received[std::size_t(endpoint)];
    }
    std::uint64_t answeredAs(SimulatorOutcome outcome) const
    {
        return answered[std::size_t(outcome)];
    }
    std::uint64_t totalReceived() const
    {
        std::uint64_t total = 0;
        for (const std::uint64_t count : received)
            total += count;
        return total;
    }
};

} // namespace breakwater
