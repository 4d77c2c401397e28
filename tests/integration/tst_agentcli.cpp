#include "exposition.h"
#include "promtool.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

// breakwater-agent as users run it: a real process, its exit code and what it prints.
class TestAgentCli : public QObject
{
    Q_OBJECT

private:
    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };

    static Run agent(const QStringList& arguments, const QProcessEnvironment& environment = {},
                     int timeoutMs = 60000)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("ELEVENLABS_API_KEY"));
        for (const QString& key : environment.keys())
            env.insert(key, environment.value(key));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(BREAKWATER_AGENT), arguments);
        if (!process.waitForFinished(timeoutMs)) {
            process.kill();
            process.waitForFinished();
        }
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                QString::fromUtf8(process.readAllStandardOutput()),
                QString::fromUtf8(process.readAllStandardError())};
    }

    static bool scrape(const QUrl& url, QByteArray* body)
    {
        QNetworkAccessManager network;
        QNetworkReply* reply = network.get(QNetworkRequest(url));
        QSignalSpy finished(reply, &QNetworkReply::finished);
        const bool answered = finished.wait(10000) && reply->error() == QNetworkReply::NoError;
        *body = reply->readAll();
        delete reply;
        return answered;
    }

    static QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& text)
    {
        const QString path = dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(text);
        return path;
    }

private Q_SLOTS:
    void seedScenarioPassesWithExitZero()
    {
        QTemporaryDir dir;
        const Run run = agent({QStringLiteral("--scenario"), QStringLiteral("seed"),
                               QStringLiteral("--time-scale"), QStringLiteral("0.1"),
                               QStringLiteral("--log-dir"), dir.path()});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        QVERIFY(run.out.contains(QStringLiteral("== 3. Resilience: retries, breaker, alert ==")));
        QVERIFY(run.out.contains(QStringLiteral("closed -> open")));
        QVERIFY(run.out.contains(QStringLiteral("ALERT critical")));
        QVERIFY(run.out.contains(QStringLiteral("Scenario \"seed\" PASSED")));
        QVERIFY(QFileInfo(dir.filePath(QStringLiteral("app.log"))).size() > 0);
    }

    void failedExpectationExitsOne()
    {
        QTemporaryDir dir;
        const QString scenario = writeFile(
            dir, QStringLiteral("s.json"),
            R"({"name":"wrong","steps":[{"send":1,"expect":"failed","within_ms":5000}]})");
        const Run run = agent(
            {QStringLiteral("--scenario"), scenario, QStringLiteral("--log-dir"), dir.path()});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.out.contains(QStringLiteral("[FAILED] every call call_failed")));
    }

    void badUsageExitsTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<QString>("message");
        QTest::addRow("unknown option") << QStringList{QStringLiteral("--frobnicate")}
                                        << QByteArray() << QStringLiteral("frobnicate");
        QTest::addRow("bad time scale")
            << QStringList{QStringLiteral("--time-scale"), QStringLiteral("-1")} << QByteArray()
            << QStringLiteral("--time-scale");
        QTest::addRow("unknown config key")
            << QStringList{} << QByteArray(R"({"breaker":{"consecutive_failure":3}})")
            << QStringLiteral("breaker.consecutive_failure");
        QTest::addRow("wrong type")
            << QStringList{} << QByteArray(R"({"retry":{"max_retries":"three"}})")
            << QStringLiteral("retry.max_retries");
        QTest::addRow("out of range")
            << QStringList{} << QByteArray(R"({"breaker":{"window_size":0}})")
            << QStringLiteral("breaker.window_size");
        QTest::addRow("missing scenario")
            << QStringList{QStringLiteral("--scenario"), QStringLiteral("/nonexistent/s.json")}
            << QByteArray() << QStringLiteral("/nonexistent/s.json");
        QTest::addRow("bad metrics address")
            << QStringList{QStringLiteral("--metrics-listen"), QStringLiteral("127.0.0.1")}
            << QByteArray() << QStringLiteral("--metrics-listen");
        QTest::addRow("two modes")
            << QStringList{QStringLiteral("--simulator"), QStringLiteral("--print-config")}
            << QByteArray() << QStringLiteral("exclude");
    }

    void badUsageExitsTwo()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, config);
        QFETCH(QString, message);
        QTemporaryDir dir;
        if (!config.isEmpty())
            arguments << QStringLiteral("--config")
                      << writeFile(dir, QStringLiteral("c.json"), config);
        arguments << QStringLiteral("--log-dir") << dir.path();
        const Run run = agent(arguments);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
    }

    void printConfigMasksTheKey()
    {
        QTemporaryDir dir;
        QProcessEnvironment env;
        env.insert(QStringLiteral("ELEVENLABS_API_KEY"),
                   QStringLiteral("sk_verysecret_0123456789"));
        const Run run = agent({QStringLiteral("--print-config")}, env);
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains(QStringLiteral("\"max_retries\": 3")));
        QVERIFY(!run.out.contains(QStringLiteral("verysecret")));
        QVERIFY(!run.err.contains(QStringLiteral("verysecret")));
    }

    void unwritableLogDirExitsTwo()
    {
        const Run run = agent({QStringLiteral("--scenario"), QStringLiteral("seed"),
                               QStringLiteral("--log-dir"), QStringLiteral("/proc/breakwater")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QStringLiteral("/proc/breakwater")), qPrintable(run.err));
    }

    void loadModeRunsAndStopsCleanlyOnSigint()
    {
        QTemporaryDir dir;
        QProcess process;
        process.start(QStringLiteral(BREAKWATER_AGENT),
                      {QStringLiteral("--rate"), QStringLiteral("50"), QStringLiteral("--log-dir"),
                       dir.path()});
        QVERIFY(process.waitForStarted());
        const QString log = dir.filePath(QStringLiteral("app.log"));
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(log).size() > 2000, 20000);
        ::kill(pid_t(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
        QVERIFY(process.readAllStandardOutput().contains("Stopped after"));
        // Every call the log saw start has its ending in the log: the shutdown ended them all.
        QFile file(log);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.endsWith('\n'));
        const auto started = text.count("\"event\":\"call_started\"");
        const auto ended =
            text.count("\"event\":\"call_succeeded\"") + text.count("\"event\":\"call_failed\"");
        QVERIFY(started > 0);
        QCOMPARE(ended, started);
    }

    void loadModeServesMetricsWhileItRuns()
    {
        QTemporaryDir dir;
        QProcess process;
        process.start(QStringLiteral(BREAKWATER_AGENT),
                      {QStringLiteral("--rate"), QStringLiteral("50"), QStringLiteral("--log-dir"),
                       dir.path(), QStringLiteral("--metrics-listen"),
                       QStringLiteral("127.0.0.1:0")});
        QVERIFY(process.waitForStarted());
        QString banner;
        QRegularExpressionMatch match;
        const QRegularExpression metricsUrl(
            QStringLiteral("metrics at (http://127\\.0\\.0\\.1:\\d+/metrics)"));
        QTRY_VERIFY_WITH_TIMEOUT((banner += QString::fromUtf8(process.readAllStandardOutput()),
                                  match = metricsUrl.match(banner), match.hasMatch()),
                                 20000);

        // The calls counter moves between two scrapes, and promtool accepts what is served.
        QByteArray first;
        QByteArray second;
        QVERIFY(scrape(QUrl(match.captured(1)), &first));
        QTest::qWait(1500);
        QVERIFY(scrape(QUrl(match.captured(1)), &second));
        const breakwater::testing::PromtoolVerdict verdict =
            breakwater::testing::checkWithPromtool(second);
        QVERIFY2(verdict.accepted(), qPrintable(verdict.output));
        const auto started = [](const QByteArray& text) {
            return breakwater::testing::parseExposition(text).value(
                QStringLiteral("breakwater_events_total"),
                {{QStringLiteral("event"), QStringLiteral("call_started")}});
        };
        QVERIFY(started(second).value_or(0) > started(first).value_or(0));

        ::kill(pid_t(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitCode(), 0);
    }

    void metricsPortInUseExitsTwo()
    {
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost));
        QTemporaryDir dir;
        const QString listen = QStringLiteral("127.0.0.1:%1").arg(taken.serverPort());
        const Run run = agent({QStringLiteral("--scenario"), QStringLiteral("seed"),
                               QStringLiteral("--log-dir"), dir.path(),
                               QStringLiteral("--metrics-listen"), listen});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(listen), qPrintable(run.err));
    }

    void simulatorModeServesUntilInterrupted()
    {
        QProcess process;
        process.start(
            QStringLiteral(BREAKWATER_AGENT),
            {QStringLiteral("--simulator"), QStringLiteral("--fault"), QStringLiteral("503")});
        QVERIFY(process.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(process.canReadLine() || process.bytesAvailable() > 0, 20000);
        const QString banner = QString::fromUtf8(process.readAllStandardOutput());
        const auto match =
            QRegularExpression(QStringLiteral("http://127\\.0\\.0\\.1:(\\d+)")).match(banner);
        QVERIFY2(match.hasMatch(), qPrintable(banner));

        QNetworkAccessManager network;
        QNetworkRequest request(QUrl(match.captured(0) + QStringLiteral("/v1/models")));
        request.setRawHeader("xi-api-key", "any-key");
        QNetworkReply* reply = network.get(request);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 503);
        reply->deleteLater();

        ::kill(pid_t(process.processId()), SIGTERM);
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAgentCli)
#include "tst_agentcli.moc"
