#include "manualclock.h"

namespace breakwater {

namespace {
// 2026-01-01T00:00:00Z: a fixed calendar origin keeps timestamps in test logs reproducible.
constexpr std::chrono::seconds kWallOrigin{1767225600};
constexpr std::chrono::hours kMonotonicOrigin{1000};
} // namespace

ManualClock::ManualClock()
    : m_start(TimePoint(kMonotonicOrigin))
    , m_nowNs(std::chrono::duration_cast<Duration>(kMonotonicOrigin).count())
{}

TimePoint ManualClock::now() const noexcept
{
    return TimePoint(Duration(m_nowNs.load(std::memory_order_acquire)));
}

WallTime ManualClock::wallNow() const noexcept
{
    return WallTime(std::chrono::duration_cast<WallTime::duration>(kWallOrigin + elapsed()));
}

Duration ManualClock::elapsed() const noexcept
{
    return now() - m_start;
}

TimerId ManualClock::schedule(Duration delay, Callback callback)
{
    std::lock_guard lock(m_mutex);
    const TimePoint due = saturatingAdd(now(), delay);
    const TimerId id = ++m_lastId;
    m_timers.emplace(DueKey{due, id}, std::move(callback));
    m_dueById.emplace(id, due);
    return id;
}

void ManualClock::cancel(TimerId id) noexcept
{
    std::lock_guard lock(m_mutex);
    const auto found = m_dueById.find(id);
    if (found == m_dueById.end())
        return;
    m_timers.erase(DueKey{found->second, id});
    m_dueById.erase(found);
}

int ManualClock::advance(Duration step)
{
    const TimePoint target = saturatingAdd(now(), step);
    int fired = 0;
    while (fireNextDueBy(target))
        ++fired;
    moveForwardTo(target);
    return fired;
}

bool ManualClock::advanceToNextTimer()
{
    TimePoint due;
    {
        std::lock_guard lock(m_mutex);
        if (m_timers.empty())
            return false;
        due = m_timers.begin()->first.due;
    }
    advance(due - now());
    return true;
}

// Time only moves forward, even when two threads advance it at once and the one with the nearer
// target finishes last.
void ManualClock::moveForwardTo(TimePoint target) noexcept
{
    const std::int64_t ns = target.time_since_epoch().count();
    std::int64_t current = m_nowNs.load(std::memory_order_acquire);
    while (current < ns && !m_nowNs.compare_exchange_weak(current, ns, std::memory_order_acq_rel)) {
    }
}

int ManualClock::pendingTimers() const
{
    std::lock_guard lock(m_mutex);
    return static_cast<int>(m_timers.size());
}

// Fires the earliest timer due at or before limit. The callback runs without the lock held, so it
// may schedule or cancel timers itself.
bool ManualClock::fireNextDueBy(TimePoint limit)
{
    Callback callback;
    {
        std::lock_guard lock(m_mutex);
        if (m_timers.empty() || m_timers.begin()->first.due > limit)
            return false;
        auto first = m_timers.begin();
        const DueKey key = first->first;
        callback = std::move(first->second);
        m_timers.erase(first);
        m_dueById.erase(key.id);
        moveForwardTo(key.due);
    }
    callback();
    return true;
}

} // namespace breakwater
