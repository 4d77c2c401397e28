#include "systemclock.h"

#include <QThread>
#include <QTimerEvent>

#include <ctime>

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
        m_entries.emplace(id, Entry{std::move(callback), delay});
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
    Duration delay;
    {
        std::lock_guard lock(m_mutex);
        const auto found = m_entries.find(id);
        if (found == m_entries.end())
            return; // cancelled before it was armed
        delay = found->second.delay;
    }
    // Round up: firing a little late is fine, firing before the deadline is not.
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(std::max(delay, Duration::zero()));
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
        callback = std::move(found->second.callback);
        m_entries.erase(found);
    }
    callback();
}

} // namespace breakwater
