#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace breakwater {

using Duration = std::chrono::nanoseconds;
using TimePoint = std::chrono::steady_clock::time_point;
using WallTime = std::chrono::system_clock::time_point;

// from + delay, never before from and never past the end of time: a caller may well pass
// Duration::max() to mean "never".
constexpr TimePoint saturatingAdd(TimePoint from, Duration delay) noexcept
{
    if (delay <= Duration::zero())
        return from;
    return delay > TimePoint::max() - from ? TimePoint::max() : from + delay;
}

// Identifies a scheduled timer; 0 is never a valid id, so it can mean "no timer".
using TimerId = std::uint64_t;

// The one source of time and timers for every resilience component. Nothing in the core reads
// the system time or sleeps: it asks the clock. Tests use ManualClock, which turns a ten-minute
// outage into a few milliseconds of deterministic work.
class Clock
{
public:
    using Callback = std::function<void()>;

    virtual ~Clock() = default;

    // Monotonic time, for durations and deadlines.
    virtual TimePoint now() const noexcept = 0;

    // Monotonic time that may lag now() by a few milliseconds but is cheaper to read. Good enough
    // to pick a one-second bucket of a sliding window on every call.
    virtual TimePoint coarseNow() const noexcept { return now(); }

    // Calendar time, for timestamps people read.
    virtual WallTime wallNow() const noexcept = 0;

    // Runs callback once, after delay, on the clock's timer thread (ManualClock: the thread that
    // advances it). Safe to call from any thread, including from inside a timer callback.
    virtual TimerId schedule(Duration delay, Callback callback) = 0;

    // Stops a timer that has not fired yet. Unknown or already-fired ids are ignored, so a stale
    // id is harmless. Safe from any thread.
    virtual void cancel(TimerId id) noexcept = 0;
};

} // namespace breakwater
