#include "controlpanel.h"

#include "faultplaneditor.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace breakwater {

ControlPanel::ControlPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildOutageGroup());
    layout->addWidget(buildLoadGroup());
    layout->addWidget(buildScenarioGroup());

    auto* exportButton = new QPushButton(tr("Export log CSV…"), this);
    exportButton->setObjectName(QStringLiteral("exportCsv"));
    connect(exportButton, &QPushButton::clicked, this, &ControlPanel::exportRequested);
    layout->addWidget(exportButton);
    layout->addStretch();
}

QGroupBox* ControlPanel::buildOutageGroup()
{
    auto* group = new QGroupBox(tr("Service outage"), this);
    auto* layout = new QVBoxLayout(group);
    m_currentPlan = new QLabel(group);
    m_currentPlan->setObjectName(QStringLiteral("currentPlan"));
    m_currentPlan->setWordWrap(true);
    layout->addWidget(m_currentPlan);
    m_editor = new FaultPlanEditor(group);
    layout->addWidget(m_editor);

    auto* buttons = new QHBoxLayout;
    m_inject = new QPushButton(tr("Inject outage"), group);
    m_inject->setObjectName(QStringLiteral("injectOutage"));
    m_restore = new QPushButton(tr("Restore service"), group);
    m_restore->setObjectName(QStringLiteral("restoreService"));
    buttons->addWidget(m_inject);
    buttons->addWidget(m_restore);
    layout->addLayout(buttons);
    connect(m_inject, &QPushButton::clicked, this,
            [this] { Q_EMIT injectRequested(m_editor->plan()); });
    connect(m_restore, &QPushButton::clicked, this, &ControlPanel::restoreRequested);
    return group;
}

QGroupBox* ControlPanel::buildLoadGroup()
{
    auto* group = new QGroupBox(tr("Call load"), this);
    auto* form = new QFormLayout(group);
    m_rate = new QDoubleSpinBox(group);
    m_rate->setObjectName(QStringLiteral("loadRate"));
    m_rate->setRange(0.0, 10'000.0);
    m_rate->setDecimals(1);
    m_rate->setSuffix(tr(" calls/s"));
    m_rate->setKeyboardTracking(false);
    form->addRow(tr("Rate"), m_rate);
    m_loadToggle = new QPushButton(group);
    m_loadToggle->setObjectName(QStringLiteral("loadToggle"));
    m_loadToggle->setCheckable(true);
    form->addRow(m_loadToggle);
    connect(m_rate, &QDoubleSpinBox::valueChanged, this, &ControlPanel::loadRateChanged);
    connect(m_loadToggle, &QPushButton::clicked, this,
            [this](bool checked) { Q_EMIT loadRunningRequested(checked); });
    return group;
}

QGroupBox* ControlPanel::buildScenarioGroup()
{
    auto* group = new QGroupBox(tr("Seed scenario"), this);
    auto* layout = new QVBoxLayout(group);
    auto* about = new QLabel(tr("A 503 outage met by retries, the breaker, an alert, fast skips "
                                "and a health-checked recovery (about 10 s; load pauses)."),
                             group);
    about->setWordWrap(true);
    layout->addWidget(about);
    m_runSeed = new QPushButton(group);
    m_runSeed->setObjectName(QStringLiteral("runSeed"));
    layout->addWidget(m_runSeed);
    m_seedProgress = new QProgressBar(group);
    m_seedProgress->setObjectName(QStringLiteral("seedProgress"));
    m_seedProgress->setTextVisible(true);
    layout->addWidget(m_seedProgress);
    m_seedStatus = new QLabel(group);
    m_seedStatus->setObjectName(QStringLiteral("seedStatus"));
    m_seedStatus->setWordWrap(true);
    layout->addWidget(m_seedStatus);
    connect(m_runSeed, &QPushButton::clicked, this, [this] {
        if (m_scenarioRunning)
            Q_EMIT cancelSeedRequested();
        else
            Q_EMIT runSeedRequested();
    });
    showScenarioRunning(false);
    return group;
}

FaultPlan ControlPanel::selectedPlan() const
{
    return m_editor->plan();
}

void ControlPanel::showFaultPlan(const FaultPlan& plan, bool available,
                                 const QString& unavailableWhy)
{
    if (!available) {
        m_currentPlan->setText(
            tr("Outages can only be injected into the embedded simulator: %1").arg(unavailableWhy));
    } else {
        m_currentPlan->setText(plan.isHealthy()
                                   ? tr("The simulator is <b>healthy</b>.")
                                   : tr("The simulator now answers: <b>%1</b>")
                                         .arg(describeFaultPlan(plan).toHtmlEscaped()));
    }
    m_editor->setEnabled(available);
    m_inject->setEnabled(available);
    m_restore->setEnabled(available && !plan.isHealthy());
}

void ControlPanel::showLoad(double callsPerSecond, bool running)
{
    const QSignalBlocker blockRate(m_rate);
    m_rate->setValue(callsPerSecond);
    m_loadToggle->setChecked(running);
    m_loadToggle->setText(running ? tr("Stop load") : tr("Start load"));
}

void ControlPanel::showScenarioRunning(bool running)
{
    m_scenarioRunning = running;
    m_runSeed->setText(running ? tr("Cancel scenario") : tr("Run seed scenario"));
    if (running) {
        m_seedProgress->setValue(0);
        m_seedStatus->setText(tr("Starting…"));
    }
}

void ControlPanel::showScenarioProgress(int step, int steps, const QString& phase)
{
    m_seedProgress->setRange(0, steps);
    m_seedProgress->setValue(step);
    m_seedStatus->setText(phase);
}

void ControlPanel::showScenarioResult(bool allHeld, const QString& summary)
{
    showScenarioRunning(false);
    m_seedStatus->setText((allHeld ? tr("Passed: ") : tr("Did not pass: ")) + summary);
}

} // namespace breakwater
