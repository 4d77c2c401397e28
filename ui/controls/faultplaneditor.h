#pragma once

#include "services/simulator/faultplan.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace breakwater {

// Picks what the simulator does during an outage: every fault mode, with the parameters that mode
// uses (latency for slow answers, Retry-After for 429, the failing fraction and kind for
// flapping). Fields a mode ignores are disabled, so what is shown is what will happen.
class FaultPlanEditor final : public QWidget
{
    Q_OBJECT

public:
    explicit FaultPlanEditor(QWidget* parent = nullptr);

    FaultPlan plan() const;
    void setPlan(const FaultPlan& plan);

Q_SIGNALS:
    void planChanged();

private:
    void updateEnabledFields();

    QComboBox* m_mode = nullptr;
    QSpinBox* m_latencyMs = nullptr;
    QSpinBox* m_retryAfterS = nullptr;
    QDoubleSpinBox* m_flappingPercent = nullptr;
    QComboBox* m_flappingFailure = nullptr;
    QSpinBox* m_seed = nullptr;
    QLabel* m_summary = nullptr;
};

// "503 Service Unavailable", "Hang (never answers)", ...: a fault mode for a menu.
QString faultModeTitle(FaultMode mode);

} // namespace breakwater
