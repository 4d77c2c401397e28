#include "breakertimelineview.h"

#include "timechart.h"

#include <QCategoryAxis>
#include <QCursor>
#include <QDateTime>
#include <QLineSeries>
#include <QScatterSeries>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace breakwater {

namespace {

QCategoryAxis* makeStateAxis()
{
    // One band per state, the label centred on it; the step line runs through the band's middle.
    auto* axis = new QCategoryAxis;
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionCenter);
    axis->setRange(-0.5, kBreakerStateLevelCount - 0.5);
    for (int level = 0; level < kBreakerStateLevelCount; ++level)
        axis->append(breakerStateName(breakerStateAtLevel(level)), level + 0.5);
    return axis;
}

double millisecondsOf(WallTime time)
{
    return double(
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count());
}

} // namespace

BreakerTimelineView::BreakerTimelineView(QWidget* parent)
    : QWidget(parent)
    , m_stateAxis(makeStateAxis())
    , m_chart(new TimeChart(tr("Breaker state"), m_stateAxis, this))
{
    m_steps = m_chart->addLine(tr("state"), breakerStepStyle());
    m_marks = m_chart->addScatter(tr("transition (hover for why)"), breakerMarkStyle());
    connect(m_marks, &QScatterSeries::hovered, this, &BreakerTimelineView::showMarkToolTip);

    m_span = m_history.window();
    // Room for the five state bands' labels, which the chart elides when squeezed.
    m_chart->setMinimumHeight(200);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_chart);

    m_timer.setTimerType(Qt::CoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (isVisible())
            refreshNow();
    });
}

BreakerTimelineView::~BreakerTimelineView() = default;

void BreakerTimelineView::appendEvents(std::span<const Event> events)
{
    m_history.appendEvents(events);
}

void BreakerTimelineView::setService(const QString& service)
{
    m_service = service;
    if (m_timer.isActive())
        refreshNow();
}

void BreakerTimelineView::setSpan(std::chrono::seconds span)
{
    m_span = std::clamp(span, std::chrono::seconds(10), m_history.window());
    if (m_timer.isActive())
        refreshNow();
}

void BreakerTimelineView::start(std::chrono::milliseconds interval)
{
    m_timer.start(interval);
}

void BreakerTimelineView::stop()
{
    m_timer.stop();
}

void BreakerTimelineView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_timer.isActive())
        refreshNow();
}

void BreakerTimelineView::refreshNow()
{
    refresh(std::chrono::system_clock::now());
}

void BreakerTimelineView::refresh(WallTime now)
{
    QString service = m_service;
    if (service.isEmpty()) {
        const QStringList known = m_history.services();
        service = known.isEmpty() ? QString() : known.first();
    }
    if (service != m_shownService) {
        m_shownService = service;
        m_chart->setTitle(service.isEmpty() ? tr("Breaker state")
                                            : tr("Breaker state: %1").arg(service));
    }

    m_steps->replace(m_history.stepPoints(service, now));
    m_shownMarks = m_history.marks(service, now);
    QList<QPointF> markPoints;
    markPoints.reserve(qsizetype(m_shownMarks.size()));
    for (const BreakerMark& mark : m_shownMarks)
        markPoints.append(QPointF(millisecondsOf(mark.time), breakerStateLevel(mark.to)));
    m_marks->replace(markPoints);
    m_chart->setTimeWindow(now, m_span);
}

const QDateTimeAxis* BreakerTimelineView::timeAxis() const
{
    return m_chart->timeAxis();
}

QString BreakerTimelineView::markToolTip(std::size_t index) const
{
    if (index >= m_shownMarks.size())
        return {};
    const BreakerMark& mark = m_shownMarks[index];
    const QString when = QDateTime::fromMSecsSinceEpoch(qint64(millisecondsOf(mark.time)))
                             .toString(QStringLiteral("HH:mm:ss.zzz"));
    QString text = tr("%1 \u2192 %2 at %3\nreason: %4")
                       .arg(breakerStateName(mark.from), breakerStateName(mark.to), when,
                            mark.reason.isEmpty() ? tr("(none given)") : mark.reason);
    if (!mark.message.isEmpty())
        text += QLatin1Char('\n') + mark.message;
    return text;
}

void BreakerTimelineView::showMarkToolTip(const QPointF& point, bool hovered)
{
    if (!hovered || m_shownMarks.empty()) {
        QToolTip::hideText();
        return;
    }
    std::size_t nearest = 0;
    double distance = std::abs(millisecondsOf(m_shownMarks[0].time) - point.x());
    for (std::size_t i = 1; i < m_shownMarks.size(); ++i) {
        const double d = std::abs(millisecondsOf(m_shownMarks[i].time) - point.x());
        if (d < distance) {
            distance = d;
            nearest = i;
        }
    }
    QToolTip::showText(QCursor::pos(), markToolTip(nearest), this);
}

} // namespace breakwater
