#pragma once

#include "breakermark.h"
#include "events/event.h"

#include <QList>
#include <QPointF>
#include <QStringList>

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace breakwater {

// Each service's breaker state over a rolling window, from breaker_transition events. Transitions
// older than the window are dropped but the state they left in force is kept, so the timeline
// always starts at the right level. Memory is bounded by the window and by kMaxMarksPerService
// (a breaker flapping many times a second loses its oldest marks first).
class BreakerHistory final
{
public:
    static constexpr std::chrono::seconds kDefaultWindow{300};
    static constexpr std::size_t kMaxMarksPerService = 4096;
    static constexpr int kMaxServices = 32;

    explicit BreakerHistory(std::chrono::seconds window = kDefaultWindow);
    ~BreakerHistory();
    Q_DISABLE_COPY_MOVE(BreakerHistory)

    // GUI thread: the bridge's batch. Copies what it keeps.
    void appendEvents(std::span<const Event> events);
    void clear();

    // Services seen so far (in any event that carries a breaker state), in first-seen order.
    QStringList services() const;
    std::chrono::seconds window() const noexcept { return m_window; }

    // The state in force at `time`; nullopt when nothing is known of the service by then.
    std::optional<BreakerState> stateAt(const QString& service, WallTime time) const;

    // A step line over the window ending at `now`: x in milliseconds since the epoch, y the
    // breakerStateLevel(). It starts at the window's start (or when the service was first seen,
    // if later) at the state then in force, has two points per transition (the level before and
    // after, at the same x) and ends at `now`. Empty for an unknown service.
    QList<QPointF> stepPoints(const QString& service, WallTime now) const;

    // The transitions inside the window ending at `now`, oldest first.
    std::vector<BreakerMark> marks(const QString& service, WallTime now) const;

private:
    struct ServiceHistory;

    ServiceHistory* historyFor(const QString& service, WallTime seenAt);
    const ServiceHistory* find(const QString& service) const;
    void addTransition(ServiceHistory& history, const Event& event);
    void prune(ServiceHistory& history) const;

    const std::chrono::seconds m_window;
    std::vector<std::unique_ptr<ServiceHistory>> m_services;
    WallTime m_newest{};
};

} // namespace breakwater
