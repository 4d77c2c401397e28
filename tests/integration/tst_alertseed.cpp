#include "alertservers.h"
#include "config/configloader.h"
#include "logfilereader.h"
#include "pipeline/loadgenerator.h"
#include "scenario/scenarioparser.h"
#include "scenariorun.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace breakwater;
using namespace breakwater::testing;
using namespace std::chrono_literals;

namespace {

AppConfig configFor(const QString& logDir, const AlertServers& servers)
{
    AppConfig config = parseConfig(QByteArrayLiteral("{}"), QProcessEnvironment()).config;
    config.logging.dir = logDir;
    config.alerts = servers.settings();
    // The grouping waits of the defaults, which the scenario's time scale shortens with the rest.
    config.alerts.routing = AlertRoutingSettings{};
    return config;
}

int delivered(const test::LogFile& log, const QString& channel)
{
    return int(std::count_if(log.events.begin(), log.events.end(), [&](const Event& e) {
        return e.type == EventType::AlertDelivered && e.reason == channel;
    }));
}

} // namespace

// The seed's story with every channel configured: people hear "breaker opened" and "recovered"
// once each, on email, Telegram and the webhook; and a channel that hangs holds up no call.
class TestAlertSeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theSeedScenarioReachesEveryChannelOnceEach()
    {
        QTemporaryDir dir;
        AlertServers servers;
        ScenarioParse seed = seedScenario();
        QVERIFY2(seed.error.isEmpty(), qPrintable(seed.error));
        for (ScenarioStep& step : seed.scenario.steps) {
            if (step.maxLatencyMs)
                step.maxLatencyMs = 100.0; // see tst_seedscenario: not a timing test
        }
        test::ScenarioRun run(seed.scenario, configFor(dir.path(), servers), 0.1);
        QCOMPARE(run.runtime.start(), QString());
        QSignalSpy finished(&run.runner, &ScenarioRunner::finished);
        run.runner.start();
        QVERIFY(finished.wait(60'000));
        QVERIFY2(run.runner.allHeld(), qPrintable(run.runner.summary()));
        // The resolution goes out a group interval after the first message: let it.
        QTRY_COMPARE_WITH_TIMEOUT(servers.webhookDeliveries(), 2, 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(servers.telegramMessages(), 2, 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(servers.smtpMessages(), 2, 10'000);
        run.runtime.stop();

        QCOMPARE(servers.webhookDeliveries(), 2);
        QCOMPARE(servers.telegramMessages(), 2);
        QCOMPARE(servers.smtpMessages(), 2);
        QCOMPARE(servers.emailSubjects(),
                 QStringList({QStringLiteral("[FIRING:1] elevenlabs: breaker_open"),
                              QStringLiteral("[RESOLVED] elevenlabs: breaker_open")}));
        const auto& telegram = servers.telegram.messages();
        QVERIFY(telegram[0].text.contains(QStringLiteral("circuit breaker opened")));
        QVERIFY(telegram[1].text.contains(QStringLiteral("circuit breaker closed")));
        QCOMPARE(telegram[0].parseMode, QStringLiteral("HTML"));
        const auto& hooks = servers.webhook.deliveries();
        QCOMPARE(hooks[0].payload.value(QStringLiteral("status")).toString(), u"firing");
        QCOMPARE(hooks[1].payload.value(QStringLiteral("status")).toString(), u"resolved");
        QCOMPARE(servers.webhook.badSignatures(), 0);

        // The log says the same, and holds none of the secrets.
        const QString logPath = dir.filePath(QStringLiteral("app.log"));
        const test::LogFile log = test::readLogFile(logPath);
        for (const QString& channel :
             {QStringLiteral("email"), QStringLiteral("telegram"), QStringLiteral("webhook")})
            QCOMPARE(delivered(log, channel), 2);
        QFile raw(logPath);
        QVERIFY(raw.open(QIODevice::ReadOnly));
        const QByteArray text = raw.readAll();
        QVERIFY(!text.contains(kTestBotToken));
        QVERIFY(!text.contains(kTestSmtpPassword));
        QVERIFY(!text.contains(kTestWebhookSecret.toUtf8()));
    }

    void aHangingChannelHoldsUpNoCall()
    {
        QTemporaryDir dir;
        AlertServers servers;
        servers.telegram.setHanging(true);
        AppConfig config = configFor(dir.path(), servers);
        config.alerts.routing.groupWait = 50ms;
        config.alerts.delivery.timeout = 10s;
        config.alerts.delivery.shutdownGrace = 0ms;
        config.load.callsPerSecond = 50;
        config.simulator.initialPlan.mode =
            FaultMode::ServiceUnavailable; // an outage from the start
        config.retry.backoff.base = 10ms;
        config.retry.backoff.cap = 20ms;
        test::ScenarioRun run(Scenario{}, config, 1.0);
        QCOMPARE(run.runtime.start(), QString());
        run.runtime.load().start();

        QTRY_COMPARE_WITH_TIMEOUT(servers.webhookDeliveries(), 1, 15'000);
        QTRY_COMPARE_WITH_TIMEOUT(servers.telegram.requestCount(), 1, 15'000);
        // While Telegram holds its request, calls keep ending: skipped at once behind the open
        // breaker, never waiting on an alert.
        const int endedBefore = run.recorder.terminalCount();
        QTRY_VERIFY_WITH_TIMEOUT(run.recorder.terminalCount() >= endedBefore + 20, 5'000);
        QCOMPARE(servers.telegramMessages(), 0); // still hanging all along
        QVERIFY(run.recorder.count(EventType::CallSkipped) > 0);
        run.runtime.stop();
    }
};

QTEST_MAIN(TestAlertSeed)
#include "tst_alertseed.moc"
