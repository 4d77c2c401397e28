#include "config/configloader.h"
#include "eventrecorder.h"
#include "events/eventstream.h"
#include "inprocessttsservice.h"
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
    // The same exactly-once check without Qt's network stack: an in-process service that fails a
    // seeded third of attempts, answering at once or after a millisecond, so ThreadSanitizer sees
    // the pipeline's own hand-overs (queue, stream, breaker) with nothing of Qt's in between.
    void everyCallEndsExactlyOnceInProcess()
    {
        PipelineOptions options;
        options.pipeline.queueCapacity = 100000;
        options.pipeline.maxInFlight = 32;
        options.retry.maxAttempts = 3;
        options.retry.backoff.base = std::chrono::milliseconds(1);
        options.retry.backoff.cap = std::chrono::milliseconds(2);
        options.breaker.openWait = std::chrono::milliseconds(20);
        options.health.interval = std::chrono::milliseconds(5);
        EventStream stream;
        test::EventRecorder recorder;
        stream.addSink(&recorder);
        stream.start();
        std::atomic<test::InProcessTtsService*> service{nullptr};
        CallPipeline pipeline(
            options,
            [&service] {
                auto created = std::make_unique<test::InProcessTtsService>();
                service = created.get();
                return created;
            },
            stream);
        pipeline.start();

        constexpr int kThreads = 4;
        constexpr int kCallsPerThread = 2500;
        std::vector<std::thread> submitters;
        for (int t = 0; t < kThreads; ++t) {
            submitters.emplace_back([&pipeline, &service, t] {
                for (int i = 0; i < kCallsPerThread; ++i) {
                    // One thread flips the service between healthy, failing and slow.
                    if (t == 0 && i % 100 == 0) {
                        test::InProcessTtsService::Rule rule;
                        if (i % 300 == 100)
                            rule.error = ServiceError::transient(QStringLiteral("503"));
                        if (i % 300 == 200)
                            rule.delayMs = 1;
                        service.load()->setRule(rule);
                    }
                    pipeline.submit({0, QStringLiteral("Hello"), {}});
                    if (i % 10 == 0)
                        std::this_thread::sleep_for(std::chrono::milliseconds(1));
                }
            });
        }
        for (auto& submitter : submitters)
            submitter.join();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.terminalCount(), kThreads * kCallsPerThread, 240000);
        pipeline.stop();
        stream.stop();
        std::map<std::uint64_t, int> endings;
        for (const Event& e : recorder.events()) {
            if (isTerminal(e.type))
                ++endings[e.callId];
        }
        QCOMPARE(int(endings.size()), kThreads * kCallsPerThread);
        for (const auto& [id, count] : endings)
            QCOMPARE(count, 1);
        QCOMPARE(stream.droppedCount(), 0u);
    }

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
