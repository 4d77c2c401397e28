#pragma once

#include "clock.h"

#include <atomic>
#include <map>
#include <mutex>
#include <unordered_map>

namespace breakwater {

// Virtual time for tests: time moves only when advance() says so, and due timers fire in order of
// their due time (ties in the order they were scheduled), each seeing now() equal to its due time.
// Thread-safe, so stress tests can share one with several threads.
class ManualClock final : public Clock
{
public:
    // Starts at an arbitrary but fixed point, far from zero so that subtracting durations from
    // now() never goes negative, and at a fixed calendar time so logs are reproducible.
    ManualClock();
    ManualClock(const ManualClock&) = delete;
    ManualClock& operator=(const ManualClock&) = delete;

    TimePoint now() const noexcept override;
    WallTime wallNow() const noexcept override;
    TimerId schedule(Duration delay, Callback callback) override;
    void cancel(TimerId id) noexcept override;

    // Moves time forward by step, firing every timer that falls due on the way (including timers
    // that those callbacks schedule within the step). Returns the number of timers fired.
    int advance(Duration step);

    // Advances to the next due timer and fires it (and any others due at that instant). Returns
    // false when no timer is pending.
    bool advanceToNextTimer();

    int pendingTimers() const;
    Duration elapsed() const noexcept;

private:
    struct DueKey
    {
        TimePoint due;
        TimerId id; // ids grow, so ties fire in scheduling order
        auto operator<=>(const DueKey&) const = default;
    };

    bool fireNextDueBy(TimePoint limit);
    void moveForwardTo(TimePoint target) noexcept;

    const TimePoint m_start;
    std::atomic<std::int64_t> m_nowNs;
    mutable std::mutex m_mutex;
    std::map<DueKey, Callback> m_timers;
    std::unordered_map<TimerId, TimePoint> m_dueById;
    TimerId m_lastId = 0;
};

} // namespace breakwater
