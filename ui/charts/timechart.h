#pragma once

#include "clock/clock.h"
#include "seriesstyle.h"

#include <QChartView>

#include <chrono>
#include <vector>

QT_FORWARD_DECLARE_CLASS(QAbstractAxis)
QT_FORWARD_DECLARE_CLASS(QChart)
QT_FORWARD_DECLARE_CLASS(QDateTimeAxis)
QT_FORWARD_DECLARE_CLASS(QLineSeries)
QT_FORWARD_DECLARE_CLASS(QScatterSeries)
QT_FORWARD_DECLARE_CLASS(QXYSeries)

namespace breakwater {

// A chart over a rolling stretch of wall-clock time: a date-time axis at the bottom and one value
// axis at the left, both created once; only their ranges change. Drawn without antialiasing or
// animation (it redraws every second), in the colours of the widget's palette, light or dark.
class TimeChart final : public QChartView
{
    Q_OBJECT

public:
    // Takes ownership of valueAxis.
    TimeChart(const QString& title, QAbstractAxis* valueAxis, QWidget* parent = nullptr);
    ~TimeChart() override;
    Q_DISABLE_COPY_MOVE(TimeChart)

    QLineSeries* addLine(const QString& name, const SeriesStyle& style);
    QScatterSeries* addScatter(const QString& name, const SeriesStyle& style);
    void setSeriesInLegend(QXYSeries* series, bool shown);

    // Shows [now - window, now].
    void setTimeWindow(WallTime now, std::chrono::seconds window);
    void setTitle(const QString& title);

    const QDateTimeAxis* timeAxis() const noexcept { return m_timeAxis; }
    QAbstractAxis* valueAxis() const noexcept { return m_valueAxis; }

protected:
    void changeEvent(QEvent* event) override;

private:
    struct StyledSeries
    {
        QXYSeries* series;
        SeriesStyle style;
    };

    void attach(QXYSeries* series, const SeriesStyle& style);
    void applyPalette();

    QChart* m_chart;
    QDateTimeAxis* m_timeAxis;
    QAbstractAxis* m_valueAxis;
    std::vector<StyledSeries> m_series;
};

} // namespace breakwater
