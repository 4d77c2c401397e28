#pragma once

#include "bucketring.h"
#include "callmetric.h"
#include "calltotals.h"
#include "clock/clock.h"
#include "events/event.h"

#include <QList>
#include <QPointF>
#include <QString>
#include <QStringList>

#include <chrono>
#include <memory>
#include <span>
#include <vector>

namespace breakwater {

// Per-second call statistics over a rolling window, per service and for all services together,
// built from the event stream alone. Seconds are the events' own (Event::time), so what the charts
// show matches the log, however late a batch reaches the GUI.
//
// Memory is bounded: one ring of `window` one-second buckets per service (at most kMaxServices;
// more are counted in the total only) and one for the total, each bucket with a fixed-size
// latency histogram once it has seen a latency.
//
// Late events land in their own second while it is still in the window; events older than the
// window (measured from the newest event seen) are dropped and counted.
class CallStats final
{
public:
    static constexpr std::chrono::seconds kDefaultWindow{300};
    static constexpr int kMaxServices = 32;

    explicit CallStats(std::chrono::seconds window = kDefaultWindow);
    ~CallStats();
    Q_DISABLE_COPY_MOVE(CallStats)

    // GUI thread: the bridge's batch. Copies what it keeps.
    void appendEvents(std::span<const Event> events);
    void clear();

    // One point per complete second of the window ending at `now`: x is the second's start in
    // milliseconds since the epoch (what QDateTimeAxis takes), y the metric. The second `now` is
    // in is still filling and is left out, so the line does not dip at its right end.
    // Call counts have a point for every second (0 when nothing ended); error rate and latency
    // only for seconds in which an attempt ended, as they mean nothing without one.
    // An empty service means all services.
    QList<QPointF> series(CallMetric metric, const QString& service, WallTime now) const;

    // The last `span` complete seconds before `now`, summed (span is capped at the window).
    CallTotals totals(const QString& service, WallTime now,
                      std::chrono::seconds span = std::chrono::seconds{10}) const;

    // Services seen so far, in the order they first appeared.
    QStringList services() const;
    std::chrono::seconds window() const noexcept { return m_window; }
    std::uint64_t droppedOldEvents() const noexcept { return m_droppedOld; }

private:
    struct ServiceBuckets;

    void count(const Event& event, std::int64_t second);
    BucketRing* ringFor(const QString& service);
    const BucketRing* ringFor(const QString& service) const;

    const std::chrono::seconds m_window;
    BucketRing m_total;
    std::vector<std::unique_ptr<ServiceBuckets>> m_services;
    ServiceBuckets* m_lastService = nullptr; // batches are mostly one service: skip the lookup
    std::int64_t m_newestSecond = SecondBucket::kUnused;
    std::uint64_t m_droppedOld = 0;
};

// Which outcome a terminal event stands for; nullopt for events that do not end a call.
std::optional<CallOutcome> callOutcomeOf(const Event& event);

} // namespace breakwater
