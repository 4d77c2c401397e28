#pragma once

#include "attemptsdistribution.h"

#include <QChartView>

#include <array>

class QBarSet;
class QValueAxis;

namespace breakwater {

// A stacked bar per number of attempts ("1" ... "5+"), split by how the calls ended. The series,
// bar sets and axes are made once; setCounts() replaces the values that changed.
class AttemptsDistributionChart final : public QChartView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AttemptsDistributionChart)

public:
    explicit AttemptsDistributionChart(QWidget* parent = nullptr);
    ~AttemptsDistributionChart() override;

    void setCounts(const AttemptsDistribution::Counts& counts);
    void setTitle(const QString& title);

    // What the bars show now, for tests and tooltips.
    double value(CallEnding ending, int bucket) const;
    double axisMaximum() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyPalette();

    std::array<QBarSet*, kCallEndingCount> m_sets{};
    QValueAxis* m_countAxis = nullptr;
};

} // namespace breakwater
