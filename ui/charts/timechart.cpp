#include "timechart.h"

#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>

namespace breakwater {

namespace {

bool isDark(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightnessF() < 0.5;
}

QDateTime dateTimeOf(WallTime time)
{
    return QDateTime::fromMSecsSinceEpoch(
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count());
}

} // namespace

TimeChart::TimeChart(const QString& title, QAbstractAxis* valueAxis, QWidget* parent)
    : QChartView(parent)
    , m_chart(new QChart)
    , m_timeAxis(new QDateTimeAxis)
    , m_valueAxis(valueAxis)
{
    m_chart->setTitle(title);
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setBackgroundRoundness(0);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    // Shows each line's own pen in the legend, dashes included, so it is told apart without
    // colour.
    m_chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);

    m_timeAxis->setFormat(QStringLiteral("HH:mm:ss"));
    m_timeAxis->setTickCount(6);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_valueAxis, Qt::AlignLeft);

    // QChartView starts with a chart of its own, which setChart() releases without deleting.
    QChart* const placeholder = chart();
    setChart(m_chart); // the view owns the chart from here
    delete placeholder;
    setRenderHint(QPainter::Antialiasing, false);
    setMinimumHeight(160);
    applyPalette();
}

TimeChart::~TimeChart() = default;

QLineSeries* TimeChart::addLine(const QString& name, const SeriesStyle& style)
{
    auto* series = new QLineSeries;
    series->setName(name);
    attach(series, style);
    return series;
}

QScatterSeries* TimeChart::addScatter(const QString& name, const SeriesStyle& style)
{
    auto* series = new QScatterSeries;
    series->setName(name);
    series->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    series->setMarkerSize(9.0);
    attach(series, style);
    return series;
}

void TimeChart::attach(QXYSeries* series, const SeriesStyle& style)
{
    m_chart->addSeries(series); // the chart owns it
    series->attachAxis(m_timeAxis);
    series->attachAxis(m_valueAxis);
    m_series.push_back({series, style});
    applyPalette();
}

void TimeChart::setSeriesInLegend(QXYSeries* series, bool shown)
{
    for (QLegendMarker* marker : m_chart->legend()->markers(series))
        marker->setVisible(shown);
}

void TimeChart::setTimeWindow(WallTime now, std::chrono::seconds window)
{
    m_timeAxis->setRange(dateTimeOf(now - window), dateTimeOf(now));
}

void TimeChart::setTitle(const QString& title)
{
    if (m_chart->title() != title)
        m_chart->setTitle(title);
}

void TimeChart::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QChartView::changeEvent(event);
}

void TimeChart::applyPalette()
{
    const QPalette& colours = palette();
    const bool dark = isDark(colours);
    const QColor text = colours.color(QPalette::Text);
    QColor grid = colours.color(QPalette::Mid);
    grid.setAlphaF(0.5);

    setBackgroundBrush(colours.color(QPalette::Base));
    m_chart->setBackgroundBrush(colours.color(QPalette::Base));
    m_chart->setTitleBrush(text);
    m_chart->legend()->setLabelColor(text);
    for (QAbstractAxis* axis : {static_cast<QAbstractAxis*>(m_timeAxis), m_valueAxis}) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setLinePenColor(colours.color(QPalette::Mid));
        axis->setGridLineColor(grid);
    }
    for (const StyledSeries& styled : m_series) {
        const QPen pen = seriesPen(styled.style, dark);
        styled.series->setPen(pen);
        if (auto* scatter = qobject_cast<QScatterSeries*>(styled.series)) {
            scatter->setColor(pen.color());
            scatter->setBorderColor(text);
        }
    }
}

} // namespace breakwater
