#pragma once

#include "callending.h"
#include "events/event.h"

#include <QColor>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace breakwater {

// What went wrong in one attempt: a short label for the table ("503", "timeout") and the full
// story for a tooltip.
struct AttemptError
{
    QString label;
    QString detail;
};

// One call that needed at least one retry, as the retry view keeps it. Built from the call's own
// events only: the first retry_scheduled creates it, later attempt and retry events update it,
// the terminal event finishes it.
struct RetriedCall
{
    enum class Phase : quint8
    {
        Attempting, // an attempt is in flight
        Waiting,    // a retry is scheduled
        Finished
    };

    // A misconfigured max_attempts must not let one call grow without bound.
    static constexpr int kMaxTrackedAttempts = 64;

    std::uint64_t callId = 0;
    QString service;
    Phase phase = Phase::Waiting;
    int attempts = 0; // attempts started so far
    std::int64_t pendingDelayMs = 0;
    std::vector<std::optional<AttemptError>> errors; // [attempt - 1]; empty: did not fail
    std::vector<std::int64_t> delaysMs;              // every scheduled retry delay, in order
    WallTime lastUpdate;
    std::optional<CallEnding> ending;
    QString endReason; // the terminal event's reason: "retries_exhausted", "breaker_open", ...

    bool isFinished() const noexcept { return phase == Phase::Finished; }

    // Takes one of this call's events into account.
    void apply(const Event& event);

    QString statusText() const;     // "waiting 250 ms", "retrying (attempt 3)", "failed (...)"
    QString errorsText() const;     // "503, 503, timeout"
    QString errorsDetail() const;   // one line per failed attempt
    QString delaysText() const;     // "250 ms, 520 ms"
    QString lastUpdateText() const; // "10:00:01.250", local time
    // A colour for the status, to go with its words, never instead of them.
    QColor statusColour() const;

private:
    void noteAttempt(int attempt);
    void recordError(int attempt, const Event& event, bool keepExisting);
};

// The short label of the error an event carries: the HTTP status, else the vendor code, else
// "timeout", else the message or the error kind.
QString attemptErrorLabel(const Event& event);

} // namespace breakwater
