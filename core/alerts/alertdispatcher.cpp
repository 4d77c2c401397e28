#include "alertdispatcher.h"

namespace breakwater {

namespace {

using std::chrono::steady_clock;
using std::chrono::system_clock;

} // namespace

AlertDispatcher::AlertDispatcher(const AlertRoutingSettings& settings, const SilenceList& silences,
                                 Hooks hooks)
    : m_grouper(settings)
    , m_silences(silences)
    , m_hooks(std::move(hooks))
{
    m_tick.setInterval(std::chrono::seconds(1));
    connect(&m_tick, &QTimer::timeout, this, &AlertDispatcher::tick);
    m_flush.setSingleShot(true);
    m_flush.setTimerType(Qt::PreciseTimer); // group waits are short: a coarse timer's 5 % shows
    connect(&m_flush, &QTimer::timeout, this, &AlertDispatcher::flushDue);
}

void AlertDispatcher::start()
{
    m_tick.start();
}

void AlertDispatcher::take(const std::vector<Alert>& changes)
{
    if (m_closed)
        return;
    const TimePoint now = steady_clock::now();
    for (const Alert& alert : changes)
        m_grouper.update(alert, now);
    armFlush();
}

void AlertDispatcher::tick()
{
    if (m_closed)
        return;
    take(m_hooks.evaluate(system_clock::now()));
    flushDue(); // also what lets a message out once a silence has ended
}

void AlertDispatcher::flushDue()
{
    if (m_closed)
        return;
    for (const Notification& n :
         m_grouper.flush(steady_clock::now(), system_clock::now(), m_silences))
        m_hooks.send(n);
    armFlush();
}

void AlertDispatcher::flushAll()
{
    if (m_closed)
        return;
    m_closed = true;
    m_tick.stop();
    m_flush.stop();
    for (const Notification& n : m_grouper.flushAll(system_clock::now(), m_silences))
        m_hooks.send(n);
}

void AlertDispatcher::armFlush()
{
    const std::optional<TimePoint> next = m_grouper.nextFlushAt();
    if (!next) {
        m_flush.stop();
        return;
    }
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(
        std::max(*next - steady_clock::now(), Duration::zero()));
    // A repeat hours away must not overflow QTimer's int milliseconds: the tick re-arms it.
    m_flush.start(std::min(wait, std::chrono::milliseconds(std::chrono::hours(1))));
}

} // namespace breakwater
