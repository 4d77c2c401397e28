#pragma once

#include "attemptsdistribution.h"
#include "events/event.h"

#include <QTimer>
#include <QWidget>

#include <chrono>
#include <functional>
#include <span>

class QLabel;
class QTableView;

namespace breakwater {

class AttemptsDistributionChart;
class RetryTrackerModel;

// The retry attempts panel: a one-line summary, the table of calls retrying now and recently, and
// the distribution of attempts per ended call over the last five minutes.
//
// The table follows every batch; the summary and the chart refresh once a second (and on
// refresh()), reading "now" from the now source: by default the later of the system clock and
// the newest event, so a replayed or time-scaled stream still fills the window.
class RetryView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RetryView)

public:
    using NowSource = std::function<WallTime()>;
    static constexpr std::chrono::milliseconds kRefreshInterval{1000};

    explicit RetryView(QWidget* parent = nullptr);
    ~RetryView() override;

    // GUI thread, a batch from EventBridge::eventsArrived.
    void appendEvents(std::span<const Event> events);

    // Brings the summary and the chart up to date for now (the timer does this every second).
    void refresh();
    void refresh(WallTime now);
    // Tests pin "now" here; the default follows the system clock and the stream.
    void setNowSource(NowSource now);

    RetryTrackerModel* model() const noexcept { return m_model; }
    const AttemptsDistribution& distribution() const noexcept { return m_distribution; }
    AttemptsDistributionChart* chart() const noexcept { return m_chart; }
    QTableView* table() const noexcept { return m_table; }
    QString summaryText() const;

private:
    RetryTrackerModel* m_model = nullptr;
    AttemptsDistribution m_distribution;
    QLabel* m_summary = nullptr;
    QTableView* m_table = nullptr;
    AttemptsDistributionChart* m_chart = nullptr;
    QTimer m_refreshTimer;
    NowSource m_now;
};

} // namespace breakwater
