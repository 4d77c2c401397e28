#include "livechartsview.h"

#include "axisscale.h"
#include "timechart.h"

#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace breakwater {

namespace {

constexpr std::array kPercentiles{CallMetric::LatencyP50Ms, CallMetric::LatencyP95Ms,
                                  CallMetric::LatencyP99Ms};

QValueAxis* makeValueAxis(const QString& title)
{
    auto* axis = new QValueAxis;
    axis->setTitleText(title);
    axis->setLabelFormat(QStringLiteral("%g"));
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0.0);
    axis->setMinorTickCount(0);
    return axis;
}

void setScale(QValueAxis* axis, AxisScale scale)
{
    axis->setTickInterval(scale.step);
    axis->setRange(0.0, scale.top);
}

// The points at or after `from` (ms since the epoch): what the span shows, so that the axes scale
// to what is on screen.
QList<QPointF> since(QList<QPointF> points, double from)
{
    const auto first = std::find_if(points.begin(), points.end(),
                                    [from](const QPointF& p) { return p.x() >= from; });
    points.erase(points.begin(), first);
    return points;
}

double largestY(const QList<QPointF>& points)
{
    double largest = 0.0;
    for (const QPointF& point : points)
        largest = std::max(largest, point.y());
    return largest;
}

QString outcomeLabel(CallOutcome outcome)
{
    switch (outcome) {
    case CallOutcome::Succeeded:
        return LiveChartsView::tr("succeeded");
    case CallOutcome::RetriedThenSucceeded:
        return LiveChartsView::tr("retried, then succeeded");
    case CallOutcome::Failed:
        return LiveChartsView::tr("failed");
    case CallOutcome::Skipped:
        return LiveChartsView::tr("skipped (breaker open)");
    case CallOutcome::Degraded:
        return LiveChartsView::tr("degraded");
    }
    return {};
}

} // namespace

LiveChartsView::LiveChartsView(QWidget* parent)
    : QWidget(parent)
    , m_callsAxis(makeValueAxis(tr("calls/s")))
    , m_errorRateAxis(makeValueAxis(tr("%")))
    , m_latencyAxis(makeValueAxis(tr("ms")))
    , m_callsChart(new TimeChart(tr("Calls per second by outcome"), m_callsAxis, this))
    , m_errorRateChart(new TimeChart(tr("Error rate (failed attempts)"), m_errorRateAxis, this))
    , m_latencyChart(new TimeChart(tr("Attempt latency"), m_latencyAxis, this))
{
    m_span = m_stats.window();
    for (int i = 0; i < kCallOutcomeCount; ++i) {
        const auto outcome = CallOutcome(i);
        m_calls[std::size_t(i)] =
            m_callsChart->addLine(outcomeLabel(outcome), outcomeStyle(outcome));
    }
    // Degraded calls do not happen yet: the line and its legend entry appear once one does.
    m_calls[std::size_t(CallOutcome::Degraded)]->setVisible(false);
    m_callsChart->setSeriesInLegend(m_calls[std::size_t(CallOutcome::Degraded)], false);

    m_errorRate = m_errorRateChart->addLine(tr("error rate"), errorRateStyle());
    m_errorRateChart->chart()->legend()->hide();
    setScale(m_errorRateAxis, {100.0, 25.0});

    const QString percentileNames[] = {tr("p50"), tr("p95"), tr("p99")};
    for (std::size_t i = 0; i < kPercentiles.size(); ++i)
        m_latency[i] = m_latencyChart->addLine(percentileNames[i], latencyStyle(kPercentiles[i]));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_callsChart, 3);
    layout->addWidget(m_errorRateChart, 2);
    layout->addWidget(m_latencyChart, 2);

    m_timer.setTimerType(Qt::CoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (isVisible())
            refreshNow();
    });
}

LiveChartsView::~LiveChartsView() = default;

void LiveChartsView::appendEvents(std::span<const Event> events)
{
    m_stats.appendEvents(events);
}

void LiveChartsView::setService(const QString& service)
{
    m_service = service;
    if (m_timer.isActive())
        refreshNow();
}

void LiveChartsView::setSpan(std::chrono::seconds span)
{
    m_span = std::clamp(span, std::chrono::seconds(10), m_stats.window());
    if (m_timer.isActive())
        refreshNow();
}

void LiveChartsView::start(std::chrono::milliseconds interval)
{
    m_timer.start(interval);
}

void LiveChartsView::stop()
{
    m_timer.stop();
}

void LiveChartsView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_timer.isActive())
        refreshNow(); // the timer skips hidden views: catch up at once
}

void LiveChartsView::refreshNow()
{
    refresh(std::chrono::system_clock::now());
}

void LiveChartsView::refresh(WallTime now)
{
    const double from = double(
        std::chrono::duration_cast<std::chrono::milliseconds>((now - m_span).time_since_epoch())
            .count());
    const auto seriesOf = [&](CallMetric metric) {
        return since(m_stats.series(metric, m_service, now), from);
    };
    double busiest = 0.0;
    for (int i = 0; i < kCallOutcomeCount; ++i) {
        const auto outcome = CallOutcome(i);
        const QList<QPointF> points = seriesOf(callsMetric(outcome));
        const double largest = largestY(points);
        busiest = std::max(busiest, largest);
        QLineSeries* series = m_calls[std::size_t(i)];
        if (outcome == CallOutcome::Degraded && largest > 0.0 && !series->isVisible()) {
            series->setVisible(true);
            m_callsChart->setSeriesInLegend(series, true);
        }
        series->replace(points);
    }
    setScale(m_callsAxis, niceAxisScale(busiest, 1.0));

    m_errorRate->replace(seriesOf(CallMetric::ErrorRatePercent));

    double slowest = 0.0;
    for (std::size_t i = 0; i < kPercentiles.size(); ++i) {
        const QList<QPointF> points = seriesOf(kPercentiles[i]);
        slowest = std::max(slowest, largestY(points));
        m_latency[i]->replace(points);
    }
    setScale(m_latencyAxis, niceAxisScale(slowest, 10.0));

    for (TimeChart* chart : {m_callsChart, m_errorRateChart, m_latencyChart})
        chart->setTimeWindow(now, m_span);
}

const QLineSeries* LiveChartsView::callsSeries(CallOutcome outcome) const
{
    return m_calls[std::size_t(outcome)];
}

const QLineSeries* LiveChartsView::latencySeries(CallMetric percentile) const
{
    const auto found = std::find(kPercentiles.begin(), kPercentiles.end(), percentile);
    return found == kPercentiles.end() ? nullptr
                                       : m_latency[std::size_t(found - kPercentiles.begin())];
}

const QDateTimeAxis* LiveChartsView::timeAxis() const
{
    return m_callsChart->timeAxis();
}

} // namespace breakwater
