#include "alerts/alertfeedview.h"
#include "breaker/breakerpanel.h"
#include "charts/breakertimelineview.h"
#include "charts/livechartsview.h"
#include "config/configloader.h"
#include "controls/controlpanel.h"
#include "session/dashboardsession.h"
#include "window/mainwindow.h"

#include <QComboBox>
#include <QDir>
#include <QImage>
#include <QLineSeries>
#include <QPushButton>
#include <QScatterSeries>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace breakwater;

namespace {

// Long enough phases that the charts have a shape: healthy load, a 503 outage the breaker opens
// on, and the recovery the health checks bring, with load flowing throughout.
constexpr int kPhaseMs = 6'000;

AppConfig tourConfig(const QString& logDir)
{
    const QByteArray json = QStringLiteral(R"({
        "logging": { "dir": "%1" },
        "load": { "calls_per_second": 20 },
        "retry": { "base_delay_ms": 50, "max_delay_ms": 400 },
        "breaker": { "open_wait_ms": 3000, "half_open_successes": 2 },
        "health": { "interval_ms": 500, "healthy_interval_ms": 1000 }
    })")
                                .arg(logDir)
                                .toUtf8();
    ConfigLoad load = parseConfig(json, QProcessEnvironment());
    if (load.error)
        qFatal("test config refused: %s", qPrintable(load.error->text()));
    return load.config;
}

int pointsIn(const QXYSeries* series)
{
    return series ? int(series->count()) : 0;
}

} // namespace

// The README's picture of the dashboard: the real window on the real pipeline and simulator,
// through a scripted outage and its recovery, saved where BREAKWATER_SCREENSHOT says (by default
// dashboard.png in the test's working directory). The test checks that what the picture shows
// really happened: the breaker opened and closed again, and the charts and the timeline drew it.
class TestScreenshot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // QSettings away from the user's own
        QSettings().clear(); // and not what an earlier run of the test left there
        QVERIFY(m_logDir.isValid());
    }

    void anOutageAndItsRecoveryAsTheWindowShowsThem()
    {
        DashboardSession session(tourConfig(m_logDir.path()));
        MainWindow window(session);
        QCOMPARE(session.start(), QString());
        window.resize(1600, 1000);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        BreakerPanel* panel = window.breakerPanel();
        QComboBox* span = window.chartSpan();
        span->setCurrentIndex(span->findData(60)); // the story is seconds long: show one minute
        QCOMPARE(window.liveCharts()->span(), std::chrono::seconds(60));
        QTest::qWait(kPhaseMs);
        QCOMPARE(window.controlPanel()->selectedPlan().mode, FaultMode::ServiceUnavailable);
        QTest::mouseClick(window.controlPanel()->injectButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(panel->stateText(), QStringLiteral("OPEN"), 20'000);
        QTest::qWait(kPhaseMs);
        QTest::mouseClick(window.controlPanel()->restoreButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(panel->stateText(), QStringLiteral("CLOSED"), 30'000);
        QTest::qWait(kPhaseMs);

        // The charts redraw once a second: draw now so the picture holds the last second too.
        const WallTime now = std::chrono::system_clock::now();
        window.liveCharts()->refresh(now);
        window.timeline()->refresh(now);
        QVERIFY(pointsIn(window.liveCharts()->callsSeries(CallOutcome::Succeeded)) > 0);
        QVERIFY(pointsIn(window.liveCharts()->callsSeries(CallOutcome::Skipped)) > 0);
        QVERIFY(window.timeline()->shownMarks().size() >= 3); // open, half-open, closed
        // The alert the outage raised, selected so its details show below the feed.
        QTableView* alerts = window.alertFeed()->table();
        QVERIFY(alerts->model()->rowCount() >= 1);
        alerts->selectRow(0);
        QVERIFY(window.alertFeed()->detailsText().contains(QStringLiteral("breaker_open")));

        const QImage picture = window.grab().toImage();
        QCOMPARE(picture.size(), window.size() * window.devicePixelRatio());
        QString path = qEnvironmentVariable("BREAKWATER_SCREENSHOT");
        if (path.isEmpty())
            path = QDir::current().filePath(QStringLiteral("dashboard.png"));
        QVERIFY2(picture.save(path), qPrintable(path));
        qInfo("screenshot saved to %s", qPrintable(QDir::toNativeSeparators(path)));
        window.close();
    }

private:
    QTemporaryDir m_logDir;
};

QTEST_MAIN(TestScreenshot)
#include "tst_screenshot.moc"
