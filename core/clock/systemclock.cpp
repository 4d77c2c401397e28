#include "systemclock.h"

#include <QThread>
#include <QTimerEvent>

#include <ctime>
#include <limits>

namespace breakwater {

SystemClock::SystemClock(QObject* parent)
    : QObject(parent)
{}

SystemClock::~SystemClock() = default;

TimePoint SystemClock::now() const noexcept
{
    return std::chrono::steady_clock::now();
}

// steady_clock is CLOCK_MONOTONIC on Linux; its coarse twin shares the epoch and is read from the
// vDSO without touching the clock source, at a few milliseconds' resolution.
TimePoint SystemClock::coarseNow() const noexcept
{
#ifdef CLOCK_MONOTONIC_COARSE
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return TimePoint(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
#else
    return now();
#endif
}

WallTime SystemClock::wallNow() const noexcept
{
    return std::chrono::system_clock::now();
}

TimerId SystemClock::schedule(Duration delay, Callback callback)
{
    TimerId id = 0;
    {
        std::lock_guard lock(m_mutex);
        id = ++m_lastId;
        m_entries.emplace(id, Entry{std::move(callback), saturatingAdd(now(), delay)});
    }
    if (QThread::currentThread() == thread())
        arm(id);
    else
        QMetaObject::invokeMethod(
            this, [this, id] { arm(id); }, Qt::QueuedConnection);
    return id;
}

void SystemClock::cancel(TimerId id) noexcept
{
    // The Qt timer, if armed, is left to fire into an empty slot: killing it from another thread
    // is not allowed, and a stray wake-up costs nothing.
    std::lock_guard lock(m_mutex);
    m_entries.erase(id);
}

void SystemClock::arm(TimerId id)
{
    TimePoint due;
    {
        std::lock_guard lock(m_mutex);
        const auto found = m_entries.find(id);
        if (found == m_entries.end())
            return; // cancelled before it was armed
        due = found->second.due;
    }
    // Round up: firing a little late is fine, firing before the deadline is not. Qt takes the
    // interval as an int of milliseconds, so a longer wait (about 25 days) goes in stages:
    // timerEvent() re-arms until the deadline is reached.
    const auto remaining = std::chrono::ceil<std::chrono::milliseconds>(
        std::max<Duration>(due - now(), Duration::zero()));
    const auto ms = std::min<std::chrono::milliseconds>(
        remaining, std::chrono::milliseconds(std::numeric_limits<int>::max()));
    const int qtTimer = startTimer(ms, Qt::PreciseTimer);
    m_idByQtTimer.emplace(qtTimer, id);
}

void SystemClock::timerEvent(QTimerEvent* event)
{
    killTimer(event->timerId());
    const auto mapped = m_idByQtTimer.find(event->timerId());
    if (mapped == m_idByQtTimer.end())
        return;
    const TimerId id = mapped->second;
    m_idByQtTimer.erase(mapped);

    Callback callback;
    {
        std::lock_guard lock(m_mutex);
        const auto found = m_entries.find(id);
        if (found == m_entries.end())
            return;
        if (now() >= found->second.due) {
            callback = std::move(found->second.callback);
            m_entries.erase(found);
        }
    }
    if (callback)
        callback();
    else
        arm(id); // one stage of a wait longer than Qt's timers reach
}

} // namespace breakwater
