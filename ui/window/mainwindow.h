#pragma once

#include "events/event.h"

#include <QMainWindow>
#include <QTimer>

#include <span>

class QAction;
class QComboBox;
class QTabWidget;

namespace breakwater {

class AlertFeedView;
class BreakerPanel;
class BreakerTimelineView;
class ControlPanel;
class DashboardSession;
class DashboardStatusBar;
class LiveChartsView;
class LogView;
class RetryView;

// The dashboard: the breaker panel and the controls on the left, the alert feed on the right,
// and in the middle the live charts with the breaker timeline, the retries and the log table.
// Everything shown comes from the event stream, delivered in batches by the session's bridge.
// Closing the window stops the pipeline and flushes the log.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(DashboardSession& session, QWidget* parent = nullptr);
    ~MainWindow() override;

    BreakerPanel* breakerPanel() const noexcept { return m_breaker; }
    ControlPanel* controlPanel() const noexcept { return m_controls; }
    LogView* logView() const noexcept { return m_log; }
    AlertFeedView* alertFeed() const noexcept { return m_alerts; }
    RetryView* retryView() const noexcept { return m_retries; }
    LiveChartsView* liveCharts() const noexcept { return m_charts; }
    BreakerTimelineView* timeline() const noexcept { return m_timeline; }
    QComboBox* chartSpan() const noexcept { return m_span; }
    QAction* injectAction() const noexcept { return m_injectAction; }
    QAction* restoreAction() const noexcept { return m_restoreAction; }

protected:
    void showEvent(QShowEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void buildViews();
    void buildMenus();
    void wireSession();
    void onEvents(std::span<const Event> events);
    void refreshStatus();
    void refreshCounters();
    void showSessionState();
    void injectOutage();
    void restoreService();
    void openSettings();
    void report(const QString& what, const QString& error);
    void restoreLayout();
    void saveLayout() const;

    DashboardSession& m_session;
    BreakerPanel* m_breaker = nullptr;
    ControlPanel* m_controls = nullptr;
    LogView* m_log = nullptr;
    AlertFeedView* m_alerts = nullptr;
    RetryView* m_retries = nullptr;
    LiveChartsView* m_charts = nullptr;
    BreakerTimelineView* m_timeline = nullptr;
    QTabWidget* m_tabs = nullptr;
    QComboBox* m_span = nullptr; // how much of the charts' five minutes they show
    DashboardStatusBar* m_status = nullptr;
    QAction* m_injectAction = nullptr;
    QAction* m_restoreAction = nullptr;
    QTimer m_statusTimer;   // the breaker panel's countdown and counters, a few times a second
    QTimer m_countersTimer; // the status bar, once a second
    bool m_stopped = false;
    bool m_defaultDocks = false; // no saved layout: size the docks on the first show
};

// Applies the theme the operator last chose (View > Theme), or the system one.
void applySavedTheme();

} // namespace breakwater
