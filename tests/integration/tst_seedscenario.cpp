#include "breaker/circuitbreaker.h"
#include "config/configloader.h"
#include "eventrecorder.h"
#include "logfilereader.h"
#include "pipeline/callpipeline.h"
#include "runtime/agentruntime.h"
#include "runtime/scenariowiring.h"
#include "scenario/scenarioparser.h"
#include "scenario/scenariorunner.h"
#include "scenario/timescale.h"
#include "scenariorun.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace breakwater;
using breakwater::test::ScenarioRun;

namespace {

AppConfig defaultsLoggingTo(const QString& dir)
{
    AppConfig config = parseConfig(QByteArrayLiteral("{}"), QProcessEnvironment()).config;
    config.logging.dir = dir;
    return config;
}

} // namespace

class TestSeedScenario : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void seedScenarioHoldsEndToEnd()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ScenarioParse seed = seedScenario();
        QVERIFY2(seed.error.isEmpty(), qPrintable(seed.error));
        // The seed demands each skip within 1 ms. A test must not time a shared machine that
        // closely, so here "fast" means far below the 1 s the scaled request timeout would take:
        // a skip that waited for anything would still fail it.
        for (ScenarioStep& step : seed.scenario.steps) {
            if (step.maxLatencyMs)
                step.maxLatencyMs = 100.0;
        }

        ScenarioRun run(seed.scenario, defaultsLoggingTo(dir.path()), 0.1);
        QStringList timeline;
        connect(&run.runner, &ScenarioRunner::line, this,
                [&timeline](const QString& line) { timeline << line; });
        QVERIFY2(run.runtime.start().isEmpty(), "the runtime did not start");
        QSignalSpy finished(&run.runner, &ScenarioRunner::finished);
        run.runner.start();
        QVERIFY(finished.wait(60000));
        run.runtime.stop();

        if (!run.runner.allHeld())
            qWarning().noquote() << timeline.join(QLatin1Char('\n'));
        QVERIFY2(run.runner.allHeld(), qPrintable(run.runner.summary()));

        // The log tells the same story: every call ended once, the breaker went round, the
        // alert was raised and resolved, and the fault was injected and lifted.
        const test::LogFile log = test::readLogFile(dir.filePath(QStringLiteral("app.log")));
        QCOMPARE(log.unparsable, 0);
        std::map<std::uint64_t, int> endings;
        std::vector<BreakerState> transitions;
        std::map<EventType, int> counts;
        for (const Event& e : log.events) {
            ++counts[e.type];
            if (isTerminal(e.type))
                ++endings[e.callId];
            if (e.type == EventType::BreakerTransition)
                transitions.push_back(*e.toState);
        }
        QCOMPARE(int(endings.size()), 17);
        for (const auto& [id, count] : endings)
            QCOMPARE(count, 1);
        const std::vector<BreakerState> expected{BreakerState::Open, BreakerState::HalfOpen,
                                                 BreakerState::Closed};
        QCOMPARE(transitions, expected);
        QCOMPARE(counts[EventType::AlertRaised], 1);
        QCOMPARE(counts[EventType::AlertResolved], 1);
        QCOMPARE(counts[EventType::FaultInjected], 1);
        QCOMPARE(counts[EventType::ServiceRestored], 1);
        QCOMPARE(counts[EventType::CallSkipped], 5);
        QCOMPARE(counts[EventType::CallSucceeded], 10);
        QCOMPARE(counts[EventType::CallFailed], 2);
    }

    void aScenarioThatCannotHoldFails()
    {
        QTemporaryDir dir;
        const ScenarioParse parse = parseScenario(
            QByteArrayLiteral(R"({"name":"impossible","steps":[{"send":2,"expect":"skipped"},)"
                              R"({"expect_state":"open","within_ms":200}]})"));
        QVERIFY2(parse.error.isEmpty(), qPrintable(parse.error));
        ScenarioRun run(parse.scenario, defaultsLoggingTo(dir.path()), 1.0);
        QVERIFY(run.runtime.start().isEmpty());
        QSignalSpy finished(&run.runner, &ScenarioRunner::finished);
        run.runner.start();
        QVERIFY(finished.wait(30000));
        run.runtime.stop();
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY(!run.runner.allHeld());
        QCOMPARE(run.runner.outcomes()[QStringLiteral("call_succeeded")], 2);
    }

    void badScenariosNameTheStepAndField_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        QTest::addRow("not json") << QByteArray("{") << QStringLiteral("not valid JSON");
        QTest::addRow("no steps") << QByteArray(R"({"name":"x"})") << QStringLiteral("steps:");
        QTest::addRow("unknown step") << QByteArray(R"({"steps":[{"dance":1}]})")
                                      << QStringLiteral("steps[0].dance: unknown field");
        QTest::addRow("bad fault") << QByteArray(R"({"steps":[{"phase":"a"},{"inject":"boom"}]})")
                                   << QStringLiteral("steps[1].inject.mode: unknown fault mode");
        QTest::addRow("bad outcome")
            << QByteArray(R"({"steps":[{"send":1,"expect":"maybe"}]})")
            << QStringLiteral("steps[0].expect: expected succeeded, failed, skipped or degraded");
        QTest::addRow("bad state")
            << QByteArray(R"({"steps":[{"expect_state":"ajar"}]})")
            << QStringLiteral("steps[0].expect_state: unknown breaker state");
        QTest::addRow("negative wait") << QByteArray(R"({"steps":[{"wait_ms":-5}]})")
                                       << QStringLiteral("steps[0].wait_ms: must be between");
        QTest::addRow("bad event") << QByteArray(R"({"steps":[{"expect_event":"call_exploded"}]})")
                                   << QStringLiteral("steps[0].expect_event: unknown event");
    }

    void badScenariosNameTheStepAndField()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        const ScenarioParse parse = parseScenario(json);
        QVERIFY2(parse.error.startsWith(error), qPrintable(parse.error));
    }
};

QTEST_GUILESS_MAIN(TestSeedScenario)
#include "tst_seedscenario.moc"
