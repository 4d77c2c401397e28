#pragma once

#include "clock/clock.h"
#include "events/event.h"
#include "stats/breakerhistory.h"

#include <QTimer>
#include <QWidget>

#include <chrono>
#include <span>
#include <vector>

QT_FORWARD_DECLARE_CLASS(QCategoryAxis)
QT_FORWARD_DECLARE_CLASS(QDateTimeAxis)
QT_FORWARD_DECLARE_CLASS(QLineSeries)
QT_FORWARD_DECLARE_CLASS(QScatterSeries)

namespace breakwater {

class TimeChart;

// One service's breaker state over the last five minutes as a step line across bands labelled
// closed, half_open, open, forced_open and disabled (the state is read in words, not colour), with
// a mark on every transition whose tooltip says why it happened.
//
// The view owns its BreakerHistory: feed it the bridge's batches with appendEvents(). Like the
// live charts it redraws only on its timer (start()) or on refresh().
class BreakerTimelineView final : public QWidget
{
    Q_OBJECT

public:
    static constexpr std::chrono::milliseconds kDefaultInterval{1000};

    explicit BreakerTimelineView(QWidget* parent = nullptr);
    ~BreakerTimelineView() override;
    Q_DISABLE_COPY_MOVE(BreakerTimelineView)

    void appendEvents(std::span<const Event> events);

    // The service whose breaker is shown; empty (the default) shows the first service seen.
    void setService(const QString& service);
    QString service() const { return m_service; }
    // The service the last refresh() drew (empty before any is known).
    QString shownService() const { return m_shownService; }

    // How much of the history's window the chart shows, the newest part: at most window().
    void setSpan(std::chrono::seconds span);
    std::chrono::seconds span() const noexcept { return m_span; }

    void start(std::chrono::milliseconds interval = kDefaultInterval);
    void stop();
    void refresh(WallTime now);

    const BreakerHistory& history() const noexcept { return m_history; }

    // What the chart holds, for tests and tools.
    const QLineSeries* stepSeries() const noexcept { return m_steps; }
    const QScatterSeries* markSeries() const noexcept { return m_marks; }
    const QDateTimeAxis* timeAxis() const;
    const QCategoryAxis* stateAxis() const noexcept { return m_stateAxis; }
    // The marks drawn by the last refresh(), oldest first, and the tooltip each one shows.
    const std::vector<BreakerMark>& shownMarks() const noexcept { return m_shownMarks; }
    QString markToolTip(std::size_t index) const;

protected:
    void showEvent(QShowEvent* event) override;

private:
    void refreshNow();
    void showMarkToolTip(const QPointF& point, bool hovered);

    BreakerHistory m_history;
    QString m_service;
    std::chrono::seconds m_span;
    QString m_shownService;
    QTimer m_timer;

    QCategoryAxis* m_stateAxis;
    TimeChart* m_chart;
    QLineSeries* m_steps = nullptr;
    QScatterSeries* m_marks = nullptr;
    std::vector<BreakerMark> m_shownMarks;
};

} // namespace breakwater
