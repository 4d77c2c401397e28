#pragma once

#include "clock/clock.h"
#include "events/event.h"
#include "stats/callstats.h"

#include <QTimer>
#include <QWidget>

#include <array>
#include <chrono>
#include <span>

QT_FORWARD_DECLARE_CLASS(QDateTimeAxis)
QT_FORWARD_DECLARE_CLASS(QLineSeries)
QT_FORWARD_DECLARE_CLASS(QValueAxis)

namespace breakwater {

class TimeChart;

// The live charts over the last five minutes: calls per second by outcome, error rate in percent
// and attempt latency p50/p95/p99. The view owns its CallStats: feed it the bridge's batches with
// appendEvents(); stats() is there for a status bar or breaker panel that wants the same numbers.
//
// Events only update the stats. The series are redrawn on the view's timer (start()) or when
// refresh() is called, each with one replace(): the chart costs the same whatever the event rate.
class LiveChartsView final : public QWidget
{
    Q_OBJECT

public:
    static constexpr std::chrono::milliseconds kDefaultInterval{1000};

    explicit LiveChartsView(QWidget* parent = nullptr);
    ~LiveChartsView() override;
    Q_DISABLE_COPY_MOVE(LiveChartsView)

    void appendEvents(std::span<const Event> events);

    // The service the charts show; empty (the default) shows all services together.
    void setService(const QString& service);
    QString service() const { return m_service; }

    // How much of the stats' window the charts show, the newest part: at most window().
    void setSpan(std::chrono::seconds span);
    std::chrono::seconds span() const noexcept { return m_span; }

    // Refreshes every interval with the system clock's time, while the view is visible.
    void start(std::chrono::milliseconds interval = kDefaultInterval);
    void stop();
    // Redraws every series for the window ending at `now`.
    void refresh(WallTime now);

    const CallStats& stats() const noexcept { return m_stats; }

    // What the charts hold, for tests and tools.
    const QLineSeries* callsSeries(CallOutcome outcome) const;
    const QLineSeries* errorRateSeries() const noexcept { return m_errorRate; }
    // percentile: CallMetric::LatencyP50Ms, LatencyP95Ms or LatencyP99Ms.
    const QLineSeries* latencySeries(CallMetric percentile) const;
    // The calls chart's time axis; the other two show the same range.
    const QDateTimeAxis* timeAxis() const;
    const QValueAxis* callsAxis() const noexcept { return m_callsAxis; }
    const QValueAxis* errorRateAxis() const noexcept { return m_errorRateAxis; }
    const QValueAxis* latencyAxis() const noexcept { return m_latencyAxis; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    void refreshNow();

    CallStats m_stats;
    QString m_service;
    std::chrono::seconds m_span;
    QTimer m_timer;

    QValueAxis* m_callsAxis;
    QValueAxis* m_errorRateAxis;
    QValueAxis* m_latencyAxis;
    TimeChart* m_callsChart;
    TimeChart* m_errorRateChart;
    TimeChart* m_latencyChart;
    std::array<QLineSeries*, kCallOutcomeCount> m_calls{};
    QLineSeries* m_errorRate = nullptr;
    std::array<QLineSeries*, 3> m_latency{};
};

} // namespace breakwater
