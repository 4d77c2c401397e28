#pragma once

#include "services/simulator/faultplan.h"

#include <QWidget>

class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace breakwater {

class FaultPlanEditor;

// The operator's side of the window: break the service and restore it, drive load, run the seed
// scenario, export the log. It only asks (signals); the window acts and tells it what happened.
class ControlPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit ControlPanel(QWidget* parent = nullptr);

    FaultPlan selectedPlan() const;
    QPushButton* injectButton() const noexcept { return m_inject; }
    QPushButton* restoreButton() const noexcept { return m_restore; }

    // What the simulator answers now; `available` false when the service is not the simulator.
    void showFaultPlan(const FaultPlan& plan, bool available, const QString& unavailableWhy = {});
    void showLoad(double callsPerSecond, bool running);
    void showScenarioRunning(bool running);
    void showScenarioProgress(int step, int steps, const QString& phase);
    void showScenarioResult(bool allHeld, const QString& summary);

Q_SIGNALS:
    void injectRequested(const breakwater::FaultPlan& plan);
    void restoreRequested();
    void loadRateChanged(double callsPerSecond);
    void loadRunningRequested(bool running);
    void runSeedRequested();
    void cancelSeedRequested();
    void exportRequested();

private:
    QGroupBox* buildOutageGroup();
    QGroupBox* buildLoadGroup();
    QGroupBox* buildScenarioGroup();

    FaultPlanEditor* m_editor = nullptr;
    QPushButton* m_inject = nullptr;
    QPushButton* m_restore = nullptr;
    QLabel* m_currentPlan = nullptr;
    QDoubleSpinBox* m_rate = nullptr;
    QPushButton* m_loadToggle = nullptr;
    QPushButton* m_runSeed = nullptr;
    QProgressBar* m_seedProgress = nullptr;
    QLabel* m_seedStatus = nullptr;
    bool m_scenarioRunning = false;
};

} // namespace breakwater
