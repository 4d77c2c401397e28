#include "alerts/alertfeedmodel.h"
#include "alerts/alertfeedview.h"
#include "breaker/breakerpanel.h"
#include "config/configloader.h"
#include "controls/controlpanel.h"
#include "log/logtablemodel.h"
#include "log/logview.h"
#include "session/dashboardsession.h"
#include "window/mainwindow.h"

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace breakwater;

namespace {

// The seed's breaker, with the waits shortened so an outage and its recovery fit in seconds.
AppConfig quickConfig(const QString& logDir)
{
    const QByteArray json = QStringLiteral(R"({
        "logging": { "dir": "%1" },
        "load": { "calls_per_second": 25 },
        "retry": { "base_delay_ms": 20, "max_delay_ms": 100 },
        "breaker": { "open_wait_ms": 1000, "half_open_successes": 2 },
        "health": { "interval_ms": 200, "healthy_interval_ms": 500 }
    })")
                                .arg(logDir)
                                .toUtf8();
    ConfigLoad load = parseConfig(json, QProcessEnvironment());
    if (load.error)
        qFatal("test config refused: %s", qPrintable(load.error->text()));
    return load.config;
}

// (from, to) of every breaker_transition the log table holds, in order.
QStringList transitionsIn(const LogTableModel& model)
{
    QStringList transitions;
    for (int row = 0; row < model.rowCount(); ++row) {
        const Event e = model.event(row);
        if (e.type == EventType::BreakerTransition && e.fromState && e.toState)
            transitions << breakerStateName(*e.fromState) + QStringLiteral("->") +
                               breakerStateName(*e.toState);
    }
    return transitions;
}

} // namespace

// The real window on the real pipeline and simulator over loopback HTTP: an operator breaks the
// service with the button, watches the breaker open and calls being skipped, restores it and
// watches the breaker close again on its own.
class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // QSettings away from the user's own
        QSettings().clear(); // and not what an earlier run of the test left there
        QVERIFY(m_logDir.isValid());
    }

    void injectingAnOutageOpensTheBreakerAndRestoringClosesIt()
    {
        DashboardSession session(quickConfig(m_logDir.path()));
        MainWindow window(session);
        QCOMPARE(session.start(), QString());
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        BreakerPanel* panel = window.breakerPanel();
        QCOMPARE(panel->stateText(), QStringLiteral("CLOSED"));
        auto* mode = window.controlPanel()->findChild<QComboBox*>(QStringLiteral("faultMode"));
        QVERIFY(mode);
        mode->setCurrentIndex(mode->findData(QStringLiteral("503")));
        QCOMPARE(window.controlPanel()->selectedPlan().mode, FaultMode::ServiceUnavailable);

        QTest::mouseClick(window.controlPanel()->injectButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(panel->stateText(), QStringLiteral("OPEN"), 20'000);
        QTRY_VERIFY_WITH_TIMEOUT(panel->state().skippedSinceOpen() > 0, 20'000);
        QVERIFY(window.controlPanel()->restoreButton()->isEnabled());

        QTest::mouseClick(window.controlPanel()->restoreButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(panel->stateText(), QStringLiteral("CLOSED"), 30'000);

        const QStringList transitions = transitionsIn(*window.logView()->model());
        QVERIFY2(transitions.size() >= 3, qPrintable(transitions.join(u' ')));
        QCOMPARE(transitions.first(), QStringLiteral("closed->open"));
        QCOMPARE(transitions.last(), QStringLiteral("half_open->closed"));
        // In between, only the open/half-open dance of the outage.
        for (int i = 1; i < transitions.size(); ++i) {
            const QString from = transitions[i].section(QStringLiteral("->"), 0, 0);
            const QString previousTo = transitions[i - 1].section(QStringLiteral("->"), 1, 1);
            QCOMPARE(from, previousTo);
        }

        saveScreenshot(window);

        window.close(); // stops the pipeline and flushes the log
        QVERIFY(!session.isRunning());
        QFile log(m_logDir.filePath(QStringLiteral("app.log")));
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray lines = log.readAll();
        QVERIFY(lines.contains(R"("event":"fault_injected")"));
        QVERIFY(lines.contains(R"("from_state":"half_open","to_state":"closed")"));
        QVERIFY(lines.endsWith('\n'));
    }

    void theInjectShortcutActsLikeTheButton()
    {
        DashboardSession session(quickConfig(m_logDir.path()));
        MainWindow window(session);
        QCOMPARE(session.start(), QString());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTest::keyClick(&window, Qt::Key_I, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(!session.faultPlan().isHealthy(), 5'000);
        QTest::keyClick(&window, Qt::Key_R, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(session.faultPlan().isHealthy(), 5'000);
    }

    void anOperatorSilencesAnAlertFromTheFeed()
    {
        DashboardSession session(quickConfig(m_logDir.path()));
        MainWindow window(session);
        QCOMPARE(session.start(), QString());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        FaultPlan outage;
        outage.mode = FaultMode::ServiceUnavailable;
        QCOMPARE(session.injectFault(outage), QString());
        AlertFeedView* feed = window.alertFeed();
        QTRY_VERIFY_WITH_TIMEOUT(feed->model()->rowCount() > 0, 20'000);
        QVERIFY(!feed->silenceButton()->isEnabled()); // nothing selected yet

        feed->table()->selectRow(0);
        QVERIFY(feed->silenceButton()->isEnabled());
        QVERIFY(!feed->unsilenceButton()->isEnabled());
        const QList<QAction*> durations = feed->silenceButton()->menu()->actions();
        const auto hour = std::find_if(durations.begin(), durations.end(), [](QAction* a) {
            return a->data().toLongLong() == 3'600'000;
        });
        QVERIFY(hour != durations.end());
        (*hour)->trigger();

        const std::vector<Silence> silences = session.silences();
        QCOMPARE(silences.size(), std::size_t(1));
        QCOMPARE(silences[0].rule, QStringLiteral("breaker_open"));
        QCOMPARE(silences[0].service, QStringLiteral("elevenlabs"));
        QVERIFY(silences[0].until > std::chrono::system_clock::now() + std::chrono::minutes(59));
        QVERIFY(feed->silencesText().contains(QStringLiteral("breaker_open/elevenlabs")));
        QVERIFY(feed->unsilenceButton()->isEnabled());

        QTest::mouseClick(feed->unsilenceButton(), Qt::LeftButton);
        QVERIFY(session.silences().empty());
        QCOMPARE(feed->silencesText(), QStringLiteral("No silences"));
        (void)session.restoreService();
        window.close();
        QFile log(m_logDir.filePath(QStringLiteral("app.log")));
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray lines = log.readAll();
        QVERIFY(lines.contains(R"("event":"alert_silenced")"));
        QVERIFY(lines.contains("silence lifted: breaker_open/elevenlabs"));
    }

    void theWindowServesMetricsWhenConfigured()
    {
        AppConfig config = quickConfig(m_logDir.path());
        config.metrics.listen = QStringLiteral("127.0.0.1:0");
        DashboardSession session(config);
        MainWindow window(session);
        QCOMPARE(session.start(), QString());
        const QUrl url = session.metricsUrl();
        QVERIFY(url.isValid() && url.port() > 0);
        auto* label = window.statusBar()->findChild<QLabel*>(QStringLiteral("statusMetrics"));
        QVERIFY(label);
        QCOMPARE(label->text(), QStringLiteral("Metrics: ") + url.toString());

        QNetworkAccessManager network;
        QByteArray body;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                QNetworkReply* reply = network.get(QNetworkRequest(url));
                QSignalSpy finished(reply, &QNetworkReply::finished);
                finished.wait(5000);
                body = reply->readAll();
                delete reply;
                return body.contains("breakwater_calls_total{");
            }(),
            20'000);
        QVERIFY(body.contains(
            R"(breakwater_circuitbreaker_state{service="elevenlabs",state="closed"} 1)"));
        window.close();
        QVERIFY(session.metricsUrl().isEmpty());
    }

    void theLogTableHoldsTheConfiguredNumberOfRows()
    {
        AppConfig config = quickConfig(m_logDir.path());
        config.dashboard.logRows = 5'000;
        DashboardSession session(config);
        MainWindow window(session);
        QCOMPARE(window.logView()->model()->capacity(), qsizetype(5'000));
    }

private:
    // The README's picture: BREAKWATER_SCREENSHOT names where to put it (see the README).
    static void saveScreenshot(MainWindow& window)
    {
        const QString path = qEnvironmentVariable("BREAKWATER_SCREENSHOT");
        if (path.isEmpty())
            return;
        QVERIFY2(window.grab().save(path), qPrintable(path));
    }

    QTemporaryDir m_logDir;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
