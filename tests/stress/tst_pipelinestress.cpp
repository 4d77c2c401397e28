#include "config/configloader.h"
#include "eventrecorder.h"
#include "events/eventstream.h"
#include "logfilereader.h"
#include "pipeline/callpipeline.h"
#include "runtime/agentruntime.h"
#include "scenario/timescale.h"

#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <thread>

using namespace breakwater;

// Ten thousand calls over real loopback HTTP against a flapping simulator, submitted from several
// threads at once: afterwards every call has exactly one terminal event in app.log, and the log
// agrees with what the stream delivered.
class TestPipelineStress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyCallEndsExactlyOnceInTheLog()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        AppConfig config = parseConfig(QByteArrayLiteral("{}"), QProcessEnvironment()).config;
        config.logging.dir = dir.path();
        config.pipeline.queueCapacity = 100000;
        config.pipeline.maxInFlight = 32;
        config.simulator.initialPlan.mode = FaultMode::Flapping;
        config.simulator.initialPlan.flappingFailureRate = 0.3;
        config.simulator.initialPlan.seed = 7;
        // Real waits, a hundred times shorter: the breaker opens, probes and closes many times.
        // Trips now and then (runs of failures happen at 30%) but lets most calls through HTTP.
        config.breaker.consecutiveFailures = 8;
        config.breaker.failureRateThreshold = 70;
        config = scaleTimes(config, 0.01);
        // ...but not the request timeouts: on a loaded machine (or under ThreadSanitizer) a call
        // queued behind others must not time out, or the test measures the machine.
        config.elevenlabs.timeout = std::chrono::seconds(30);
        config.elevenlabs.probeTimeout = std::chrono::seconds(30);
        config.health.timeout = std::chrono::seconds(30);

        AgentRuntime runtime(config);
        test::EventRecorder recorder;
        runtime.addSink(&recorder);
        QVERIFY(runtime.start().isEmpty());

        constexpr int kThreads = 4;
        constexpr int kCallsPerThread = 2500;
        constexpr int kCalls = kThreads * kCallsPerThread;
        std::atomic<int> accepted{0};
        std::vector<std::thread> submitters;
        for (int t = 0; t < kThreads; ++t) {
            submitters.emplace_back([&runtime, &accepted] {
                for (int i = 0; i < kCallsPerThread; ++i) {
                    if (runtime.pipeline().submit({0, QStringLiteral("Hello there"), {}}).accepted)
                        accepted.fetch_add(1);
                    // Paced over a second or two, so the breaker opens, probes and closes while
                    // calls keep coming.
                    if (i % 5 == 0)
                        std::this_thread::sleep_for(std::chrono::milliseconds(2));
                }
            });
        }
        for (auto& submitter : submitters)
            submitter.join();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.terminalCount(), kCalls, 240000);
        runtime.stop();

        const test::LogFile log = test::readLogFile(dir.filePath(QStringLiteral("app.log")));
        QCOMPARE(log.unparsable, 0);
        for (const Event& e : log.events) {
            if (e.type == EventType::BreakerTransition)
                qInfo("%s", qPrintable(e.message));
        }
        std::map<std::uint64_t, int> endings;
        std::map<EventType, int> logCounts;
        for (const Event& e : log.events) {
            ++logCounts[e.type];
            if (isTerminal(e.type))
                ++endings[e.callId];
        }
        QCOMPARE(int(endings.size()), kCalls);
        for (const auto& [id, count] : endings) {
            if (count != 1)
                QFAIL(
                    qPrintable(QStringLiteral("%1 ended %2 times").arg(callIdText(id)).arg(count)));
        }
        for (EventType type :
             {EventType::CallSucceeded, EventType::CallFailed, EventType::CallSkipped,
              EventType::AttemptFailed, EventType::BreakerTransition}) {
            QCOMPARE(logCounts[type], recorder.count(type));
        }
        // Flapping at 30% must have shown every kind of ending and some retries.
        qInfo("%d succeeded, %d failed, %d skipped, %d breaker transitions",
              logCounts[EventType::CallSucceeded], logCounts[EventType::CallFailed],
              logCounts[EventType::CallSkipped], logCounts[EventType::BreakerTransition]);
        // How long the breaker stays open against the submitters' pacing depends on the machine's
        // load, so only the presence of each kind of ending is asserted, not the mix.
        QVERIFY(logCounts[EventType::CallSucceeded] > 0);
        QVERIFY(logCounts[EventType::RetryScheduled] > 0);
        // Every call that succeeded or failed had started; some that started were skipped after
        // all (a half-open breaker out of trial permits), and calls skipped from the queue never
        // started.
        QVERIFY(logCounts[EventType::CallStarted] >=
                logCounts[EventType::CallSucceeded] + logCounts[EventType::CallFailed]);
        QVERIFY(logCounts[EventType::CallStarted] <= accepted.load());

        QCOMPARE(runtime.events().droppedCount(), 0u);
    }
};

QTEST_GUILESS_MAIN(TestPipelineStress)
#include "tst_pipelinestress.moc"
