#include "breakerhistory.h"

#include <algorithm>

namespace breakwater {

namespace {

double millisecondsOf(WallTime time) noexcept
{
    return double(
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count());
}

} // namespace

struct BreakerHistory::ServiceHistory
{
    QString name;
    WallTime firstSeen;
    // The state before the first mark kept: the one a pruned transition left in force, or, before
    // any transition, the latest state other events reported.
    std::optional<BreakerState> stateBefore;
    std::deque<BreakerMark> marks; // by time; equal times in stream order
};

BreakerHistory::BreakerHistory(std::chrono::seconds window)
    : m_window(std::max(window, std::chrono::seconds{1}))
{}

BreakerHistory::~BreakerHistory() = default;

void BreakerHistory::clear()
{
    m_services.clear();
    m_newest = {};
}

void BreakerHistory::appendEvents(std::span<const Event> events)
{
    bool transitions = false;
    for (const Event& event : events) {
        const bool transition =
            event.type == EventType::BreakerTransition && (event.toState || event.state);
        if (event.service.isEmpty() || (!transition && !event.state))
            continue;
        ServiceHistory* history = historyFor(event.service, event.time);
        if (history == nullptr)
            continue;
        m_newest = std::max(m_newest, event.time);
        if (transition) {
            addTransition(*history, event);
            transitions = true;
        } else if (history->marks.empty()) {
            history->stateBefore = *event.state;
        }
    }
    if (!transitions)
        return;
    for (const auto& history : m_services)
        prune(*history);
}

BreakerHistory::ServiceHistory* BreakerHistory::historyFor(const QString& service, WallTime seenAt)
{
    for (const auto& known : m_services) {
        if (known->name == service) {
            known->firstSeen = std::min(known->firstSeen, seenAt);
            return known.get();
        }
    }
    if (int(m_services.size()) >= kMaxServices)
        return nullptr;
    auto history = std::make_unique<ServiceHistory>();
    history->name = service;
    history->firstSeen = seenAt;
    m_services.push_back(std::move(history));
    return m_services.back().get();
}

const BreakerHistory::ServiceHistory* BreakerHistory::find(const QString& service) const
{
    for (const auto& known : m_services) {
        if (known->name == service)
            return known.get();
    }
    return nullptr;
}

void BreakerHistory::addTransition(ServiceHistory& history, const Event& event)
{
    const bool known = history.stateBefore || !history.marks.empty();
    if (known && event.time < m_newest - m_window)
        return; // too late to matter: the state it set has long been replaced or pruned
    BreakerMark mark{event.time, event.fromState.value_or(BreakerState::Closed),
                     event.toState.value_or(event.state.value_or(BreakerState::Closed)),
                     event.reason, event.message};
    if (!event.fromState)
        mark.from = stateAt(history.name, event.time).value_or(BreakerState::Closed);
    const auto position =
        std::upper_bound(history.marks.begin(), history.marks.end(), mark.time,
                         [](WallTime time, const BreakerMark& kept) { return time < kept.time; });
    if (position == history.marks.begin())
        history.stateBefore = mark.from;
    history.marks.insert(position, std::move(mark));
}

void BreakerHistory::prune(ServiceHistory& history) const
{
    const WallTime cutoff = m_newest - m_window;
    while (!history.marks.empty() &&
           (history.marks.front().time < cutoff || history.marks.size() > kMaxMarksPerService)) {
        history.stateBefore = history.marks.front().to;
        history.marks.pop_front();
    }
}

QStringList BreakerHistory::services() const
{
    QStringList names;
    for (const auto& known : m_services)
        names.append(known->name);
    return names;
}

std::optional<BreakerState> BreakerHistory::stateAt(const QString& service, WallTime time) const
{
    const ServiceHistory* history = find(service);
    if (history == nullptr)
        return std::nullopt;
    const auto after =
        std::upper_bound(history->marks.begin(), history->marks.end(), time,
                         [](WallTime t, const BreakerMark& kept) { return t < kept.time; });
    if (after != history->marks.begin())
        return std::prev(after)->to;
    return history->stateBefore;
}

QList<QPointF> BreakerHistory::stepPoints(const QString& service, WallTime now) const
{
    QList<QPointF> points;
    const ServiceHistory* history = find(service);
    if (history == nullptr)
        return points;
    const WallTime begin = std::max(now - m_window, history->firstSeen);
    if (begin > now)
        return points;
    const std::optional<BreakerState> first = stateAt(service, begin);
    if (!first)
        return points;
    int level = breakerStateLevel(*first);
    points.reserve(qsizetype(2 * history->marks.size() + 2));
    points.append(QPointF(millisecondsOf(begin), level));
    for (const BreakerMark& mark : history->marks) {
        if (mark.time <= begin)
            continue;
        if (mark.time > now)
            break;
        const double x = millisecondsOf(mark.time);
        points.append(QPointF(x, level));
        level = breakerStateLevel(mark.to);
        points.append(QPointF(x, level));
    }
    points.append(QPointF(millisecondsOf(now), level));
    return points;
}

std::vector<BreakerMark> BreakerHistory::marks(const QString& service, WallTime now) const
{
    std::vector<BreakerMark> inWindow;
    const ServiceHistory* history = find(service);
    if (history == nullptr)
        return inWindow;
    const WallTime begin = now - m_window;
    for (const BreakerMark& mark : history->marks) {
        if (mark.time > begin && mark.time <= now)
            inWindow.push_back(mark);
    }
    return inWindow;
}

} // namespace breakwater
