#include "mainwindow.h"

#include "alerts/alertfeedview.h"
#include "breaker/breakerpanel.h"
#include "charts/breakertimelineview.h"
#include "charts/livechartsview.h"
#include "controls/controlpanel.h"
#include "dashboardstatusbar.h"
#include "log/logview.h"
#include "retry/retryview.h"
#include "session/dashboardsession.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace breakwater {
namespace {

const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
const QString kTabKey = QStringLiteral("window/tab");
const QString kSplitterKey = QStringLiteral("window/liveSplitter");
const QString kSpanKey = QStringLiteral("window/chartSpan");

QDockWidget* dock(const QString& title, const QString& name, QWidget* content, QWidget* parent)
{
    auto* d = new QDockWidget(title, parent);
    d->setObjectName(name); // saveState() finds docks by name
    auto* scroll = new QScrollArea(d);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    d->setWidget(scroll);
    return d;
}

} // namespace

MainWindow::MainWindow(DashboardSession& session, QWidget* parent)
    : QMainWindow(parent)
    , m_session(session)
{
    setObjectName(QStringLiteral("breakwaterMainWindow"));
    setWindowTitle(tr("Breakwater"));
    buildViews();
    buildMenus();
    wireSession();
    restoreLayout();
    showSessionState();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildViews()
{
    m_charts = new LiveChartsView(this);
    m_timeline = new BreakerTimelineView(this);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("liveSplitter"));
    splitter->addWidget(m_charts);
    splitter->addWidget(m_timeline);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    // The charts keep five minutes; an operator watching an outage unfold wants the last one.
    m_span = new QComboBox(this);
    m_span->setObjectName(QStringLiteral("chartSpan"));
    m_span->addItem(tr("the last minute"), 60);
    m_span->addItem(tr("the last 5 minutes"), 300);
    m_span->setCurrentIndex(1);
    connect(m_span, &QComboBox::currentIndexChanged, this, [this] {
        const std::chrono::seconds span(m_span->currentData().toInt());
        m_charts->setSpan(span);
        m_timeline->setSpan(span);
    });
    auto* spanRow = new QHBoxLayout;
    auto* spanLabel = new QLabel(tr("Charts &show:"), this);
    spanLabel->setBuddy(m_span);
    spanRow->addWidget(spanLabel);
    spanRow->addWidget(m_span);
    spanRow->addStretch();
    auto* live = new QWidget(this);
    auto* liveLayout = new QVBoxLayout(live);
    liveLayout->setContentsMargins(4, 4, 4, 0);
    liveLayout->addLayout(spanRow);
    liveLayout->addWidget(splitter, 1);

    m_retries = new RetryView(this);
    m_log = new LogView(m_session.config().dashboard.logRows, this);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_tabs->addTab(live, tr("&Live"));
    m_tabs->addTab(m_retries, tr("&Retries"));
    m_tabs->addTab(m_log, tr("L&og"));
    setCentralWidget(m_tabs);

    m_breaker = new BreakerPanel(m_session.serviceName(), this);
    m_controls = new ControlPanel(this);
    m_alerts = new AlertFeedView(this);
    addDockWidget(Qt::LeftDockWidgetArea,
                  dock(tr("Circuit breaker"), QStringLiteral("breakerDock"), m_breaker, this));
    addDockWidget(Qt::LeftDockWidgetArea,
                  dock(tr("Controls"), QStringLiteral("controlsDock"), m_controls, this));
    auto* alertsDock = new QDockWidget(tr("Alerts"), this);
    alertsDock->setObjectName(QStringLiteral("alertsDock"));
    alertsDock->setWidget(m_alerts);
    addDockWidget(Qt::RightDockWidgetArea, alertsDock);

    m_status = new DashboardStatusBar(this);
    setStatusBar(m_status);
}

void MainWindow::wireSession()
{
    connect(&m_session.bridge(), &EventBridge::eventsArrived, this, &MainWindow::onEvents);
    connect(&m_session, &DashboardSession::runningChanged, this, &MainWindow::showSessionState);
    connect(&m_session, &DashboardSession::loadRunningChanged, this,
            [this](bool running) { m_controls->showLoad(m_session.loadRate(), running); });
    connect(&m_session, &DashboardSession::scenarioProgress, m_controls,
            &ControlPanel::showScenarioProgress);
    connect(&m_session, &DashboardSession::scenarioFinished, this,
            [this](bool allHeld, const QString& summary) {
                m_controls->showScenarioResult(allHeld, summary);
                m_controls->showLoad(m_session.loadRate(), m_session.isLoadRunning());
            });

    connect(m_alerts, &AlertFeedView::silenceRequested, this,
            [this](const QString& rule, const QString& service, qint64 durationMs) {
                if (const QString error = m_session.silenceAlerts(
                        rule, service, std::chrono::milliseconds(durationMs));
                    !error.isEmpty())
                    report(tr("Could not silence %1").arg(rule), error);
                m_alerts->showSilences(m_session.silences());
            });
    connect(m_alerts, &AlertFeedView::unsilenceRequested, this,
            [this](const QString& rule, const QString& service) {
                m_session.unsilenceAlerts(rule, service);
                m_alerts->showSilences(m_session.silences());
            });

    connect(m_controls, &ControlPanel::injectRequested, this, &MainWindow::injectOutage);
    connect(m_controls, &ControlPanel::restoreRequested, this, &MainWindow::restoreService);
    connect(m_controls, &ControlPanel::loadRateChanged, this,
            [this](double rate) { m_session.setLoadRate(rate); });
    connect(m_controls, &ControlPanel::loadRunningRequested, this,
            [this](bool running) { m_session.setLoadRunning(running); });
    connect(m_controls, &ControlPanel::runSeedRequested, this, [this] {
        if (const QString error = m_session.runSeedScenario(); !error.isEmpty())
            report(tr("The seed scenario could not start"), error);
        else
            m_controls->showScenarioRunning(true);
    });
    connect(m_controls, &ControlPanel::cancelSeedRequested, this,
            [this] { m_session.cancelScenario(); });
    connect(m_controls, &ControlPanel::exportRequested, m_log, &LogView::exportCsv);

    connect(m_breaker, &BreakerPanel::forceOpenRequested, this,
            [this] { m_session.forceBreakerOpen(); });
    connect(m_breaker, &BreakerPanel::resetRequested, this, [this] { m_session.resetBreaker(); });
    connect(m_breaker, &BreakerPanel::disableRequested, this,
            [this] { m_session.disableBreaker(); });

    m_statusTimer.setInterval(250);
    connect(&m_statusTimer, &QTimer::timeout, this, &MainWindow::refreshStatus);
    m_statusTimer.start();
    m_countersTimer.setInterval(1000);
    connect(&m_countersTimer, &QTimer::timeout, this, &MainWindow::refreshCounters);
    m_countersTimer.start();
    m_charts->start();
    m_timeline->start();
}

void MainWindow::onEvents(std::span<const Event> events)
{
    m_breaker->appendEvents(events);
    m_charts->appendEvents(events);
    m_timeline->appendEvents(events);
    m_retries->appendEvents(events);
    m_alerts->appendEvents(events);
    m_log->appendEvents(events);
    for (const Event& e : events) {
        if (e.type == EventType::FaultInjected || e.type == EventType::ServiceRestored) {
            m_controls->showFaultPlan(m_session.faultPlan(), m_session.hasSimulator());
            break;
        }
    }
}

void MainWindow::refreshStatus()
{
    m_breaker->showStatus(m_session.breakerStatus(), m_session.breakerConfig(),
                          std::chrono::system_clock::now());
}

void MainWindow::refreshCounters()
{
    m_status->showCounters(m_session.counters(), m_session.bridge().eventsDelivered());
    m_alerts->showSilences(m_session.silences()); // and silences that ran out go from the list
}

void MainWindow::showSessionState()
{
    const bool running = m_session.isRunning();
    m_status->showEndpoint(m_session.serviceUrl(), m_session.hasSimulator());
    m_status->showLogFile(m_session.logFilePath());
    m_status->showMetricsUrl(m_session.metricsUrl());
    m_controls->showFaultPlan(
        m_session.faultPlan(), running && m_session.hasSimulator(),
        running ? m_session.serviceUrl().toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery)
                : tr("the pipeline is stopped"));
    m_controls->showLoad(m_session.loadRate(), m_session.isLoadRunning());
    m_breaker->setEnabled(running);
    m_injectAction->setEnabled(running && m_session.hasSimulator());
    m_restoreAction->setEnabled(running && m_session.hasSimulator());
    refreshStatus();
}

void MainWindow::injectOutage()
{
    if (const QString error = m_session.injectFault(m_controls->selectedPlan()); !error.isEmpty())
        report(tr("The outage could not be injected"), error);
}

void MainWindow::restoreService()
{
    if (const QString error = m_session.restoreService(); !error.isEmpty())
        report(tr("The service could not be restored"), error);
}

void MainWindow::report(const QString& what, const QString& error)
{
    m_status->showMessage(what + QStringLiteral(": ") + error, 10'000);
    QMessageBox::warning(this, what, what + QStringLiteral(":\n") + error);
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    // Docks take their sizes once the window has its own; the alert feed wants room for the
    // summary of each alert, which its first layout does not give it.
    if (std::exchange(m_defaultDocks, false)) {
        // After the show has laid the window out: resizing docks before that is undone by it.
        QTimer::singleShot(0, this, [this] {
            if (auto* alerts = findChild<QDockWidget*>(QStringLiteral("alertsDock")))
                resizeDocks({alerts}, {std::max(440, width() / 4)}, Qt::Horizontal);
        });
    }
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveLayout();
    if (!m_stopped) {
        m_stopped = true;
        m_statusTimer.stop();
        m_countersTimer.stop();
        m_session.stop(); // every call ends, the log is flushed
    }
    event->accept();
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(kGeometryKey).toByteArray());
    m_defaultDocks = !restoreState(settings.value(kStateKey).toByteArray());
    if (const int span = m_span->findData(settings.value(kSpanKey, 300).toInt()); span >= 0)
        m_span->setCurrentIndex(span);
    m_tabs->setCurrentIndex(settings.value(kTabKey, 0).toInt());
    if (auto* live = findChild<QSplitter*>(QStringLiteral("liveSplitter")))
        live->restoreState(settings.value(kSplitterKey).toByteArray());
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    settings.setValue(kTabKey, m_tabs->currentIndex());
    settings.setValue(kSpanKey, m_span->currentData());
    if (auto* live = findChild<QSplitter*>(QStringLiteral("liveSplitter")))
        settings.setValue(kSplitterKey, live->saveState());
}

} // namespace breakwater
