// The menus and keyboard shortcuts of MainWindow, and the settings dialog they open.
#include "controls/controlpanel.h"
#include "log/logtablemodel.h"
#include "log/logview.h"
#include "mainwindow.h"
#include "session/dashboardsession.h"
#include "settings/settingsdialog.h"
#include "theme/theme.h"

#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>

namespace breakwater {
namespace {

const QString kThemeKey = QStringLiteral("window/theme");

} // namespace

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* exportCsv = file->addAction(tr("&Export log CSV…"), m_log, &LogView::exportCsv);
    exportCsv->setShortcut(Qt::CTRL | Qt::Key_E);
    QAction* settings = file->addAction(tr("&Settings…"), this, &MainWindow::openSettings);
    settings->setShortcut(QKeySequence::Preferences);
    settings->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* service = menuBar()->addMenu(tr("&Service"));
    m_injectAction = service->addAction(tr("&Inject outage"), this, [this] { injectOutage(); });
    m_injectAction->setShortcut(Qt::CTRL | Qt::Key_I);
    m_restoreAction = service->addAction(tr("&Restore service"), this, &MainWindow::restoreService);
    m_restoreAction->setShortcut(Qt::CTRL | Qt::Key_R);
    m_controls->injectButton()->setToolTip(
        tr("Make the simulator fail as chosen above (%1)")
            .arg(m_injectAction->shortcut().toString(QKeySequence::NativeText)));
    m_controls->restoreButton()->setToolTip(
        tr("Make the simulator healthy again (%1)")
            .arg(m_restoreAction->shortcut().toString(QKeySequence::NativeText)));
    service->addSeparator();
    service->addAction(tr("&Force breaker open"), this, [this] { m_session.forceBreakerOpen(); });
    service->addAction(tr("Reset &breaker"), this, [this] { m_session.resetBreaker(); });
    service->addAction(tr("&Disable breaker"), this, [this] { m_session.disableBreaker(); });
    service->addSeparator();
    QAction* load = service->addAction(tr("Start/stop &load"), this, [this] {
        m_session.setLoadRunning(!m_session.isLoadRunning());
    });
    load->setShortcut(Qt::CTRL | Qt::Key_L);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* d : findChildren<QDockWidget*>())
        view->addAction(d->toggleViewAction());
    view->addSeparator();
    QMenu* themes = view->addMenu(tr("&Theme"));
    auto* group = new QActionGroup(themes);
    const Theme current =
        themeFromName(QSettings().value(kThemeKey).toString()).value_or(Theme::System);
    for (Theme theme : {Theme::System, Theme::Light, Theme::Dark}) {
        QAction* action = themes->addAction(themeTitle(theme));
        action->setCheckable(true);
        action->setChecked(theme == current);
        group->addAction(action);
        connect(action, &QAction::triggered, this, [theme] {
            applyTheme(*qApp, theme);
            QSettings().setValue(kThemeKey, themeName(theme));
        });
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Breakwater"), this, [this] {
        QMessageBox::about(
            this, tr("About Breakwater"),
            tr("<b>Breakwater %1</b><p>Keeps an AI voice-call agent talking when its "
               "text-to-speech service fails: retries with jittered backoff, a circuit breaker, "
               "health checks, alerts and a structured log of every decision.</p>")
                .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::openSettings()
{
    SettingsDialog dialog(m_session.config(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (const QString error = m_session.restart(dialog.config()); !error.isEmpty())
        report(tr("The new settings could not start; the previous ones run again"), error);
    m_log->model()->setCapacity(m_session.config().dashboard.logRows);
}

// The theme saved with the window's layout, applied before the window is shown.
void applySavedTheme()
{
    applyTheme(*qApp,
               themeFromName(QSettings().value(kThemeKey).toString()).value_or(Theme::System));
}

} // namespace breakwater
