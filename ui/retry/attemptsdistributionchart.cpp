#include "attemptsdistributionchart.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QEvent>
#include <QLegend>
#include <QStackedBarSeries>
#include <QValueAxis>

#include <algorithm>

namespace breakwater {
namespace {

// The same hues as the retry table's status column; the legend names every colour.
QColor endingColour(CallEnding ending)
{
    switch (ending) {
    case CallEnding::Succeeded:
        return QColor(56, 142, 60);
    case CallEnding::Failed:
        return QColor(220, 50, 47);
    case CallEnding::Skipped:
        return QColor(147, 161, 161);
    case CallEnding::Degraded:
        return QColor(203, 75, 22);
    }
    return {};
}

} // namespace

AttemptsDistributionChart::AttemptsDistributionChart(QWidget* parent)
    : QChartView(parent)
{
    auto* chart = new QChart;
    chart->setTitle(QStringLiteral("Attempts per ended call"));
    chart->setBackgroundVisible(false);
    chart->setPlotAreaBackgroundVisible(false);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setAnimationOptions(QChart::NoAnimation);

    auto* series = new QStackedBarSeries(chart);
    for (int e = 0; e < kCallEndingCount; ++e) {
        const auto ending = CallEnding(e);
        auto* set = new QBarSet(callEndingName(ending), series);
        set->setColor(endingColour(ending));
        set->setBorderColor(endingColour(ending));
        for (int bucket = 0; bucket < AttemptsDistribution::kBucketCount; ++bucket)
            set->append(0.0);
        series->append(set);
        m_sets[std::size_t(e)] = set;
    }
    chart->addSeries(series);

    auto* attemptsAxis = new QBarCategoryAxis(chart);
    for (int bucket = 0; bucket < AttemptsDistribution::kBucketCount; ++bucket)
        attemptsAxis->append(AttemptsDistribution::bucketLabel(bucket));
    attemptsAxis->setTitleText(QStringLiteral("attempts"));
    chart->addAxis(attemptsAxis, Qt::AlignBottom);
    series->attachAxis(attemptsAxis);

    m_countAxis = new QValueAxis(chart);
    m_countAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_countAxis->setTitleText(QStringLiteral("calls"));
    m_countAxis->setRange(0.0, 4.0);
    chart->addAxis(m_countAxis, Qt::AlignLeft);
    series->attachAxis(m_countAxis);

    // QChartView starts with a chart of its own, which setChart() releases without deleting.
    QChart* const placeholder = this->chart();
    setChart(chart);
    delete placeholder;
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(260, 200);
    applyPalette();
}

AttemptsDistributionChart::~AttemptsDistributionChart() = default;

void AttemptsDistributionChart::setCounts(const AttemptsDistribution::Counts& counts)
{
    double tallest = 0.0;
    for (int bucket = 0; bucket < AttemptsDistribution::kBucketCount; ++bucket) {
        double stacked = 0.0;
        for (int e = 0; e < kCallEndingCount; ++e) {
            const auto value = double(counts[std::size_t(bucket)][std::size_t(e)]);
            QBarSet* set = m_sets[std::size_t(e)];
            // Every replace() repaints: only touch what moved.
            if (set->at(bucket) != value)
                set->replace(bucket, value);
            stacked += value;
        }
        tallest = std::max(tallest, stacked);
    }
    const double top = std::max(4.0, tallest);
    if (m_countAxis->max() < top || m_countAxis->max() > 2.0 * top) {
        m_countAxis->setRange(0.0, top);
        m_countAxis->applyNiceNumbers();
    }
}

void AttemptsDistributionChart::setTitle(const QString& title)
{
    chart()->setTitle(title);
}

double AttemptsDistributionChart::value(CallEnding ending, int bucket) const
{
    return m_sets[std::size_t(ending)]->at(bucket);
}

double AttemptsDistributionChart::axisMaximum() const
{
    return m_countAxis->max();
}

void AttemptsDistributionChart::changeEvent(QEvent* event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

// Qt Charts draws with its own theme colours; the text follows the window's palette instead, so
// the chart reads in the light and the dark palette alike.
void AttemptsDistributionChart::applyPalette()
{
    const QColor text = palette().color(QPalette::WindowText);
    QChart* chart = this->chart();
    chart->setTitleBrush(text);
    chart->legend()->setLabelColor(text);
    for (QAbstractAxis* axis : chart->axes()) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
    }
}

} // namespace breakwater
