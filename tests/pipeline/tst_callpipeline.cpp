#include "breaker/circuitbreaker.h"
#include "eventrecorder.h"
#include "events/eventstream.h"
#include "inprocessttsservice.h"
#include "pipeline/callpipeline.h"
#include "pipeline/loadgenerator.h"
#include "qtestprinters.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <thread>

using namespace breakwater;
using namespace std::chrono_literals;
using test::EventRecorder;
using test::InProcessTtsService;

namespace {

PipelineOptions fastOptions()
{
    PipelineOptions options;
    options.retry.maxAttempts = 4;
    options.retry.backoff.kind = BackoffKind::Constant;
    options.retry.backoff.base = 5ms;
    options.retry.backoff.cap = 5ms;
    options.retry.budget.maxTokens = 1000;
    options.breaker.consecutiveFailures = 5;
    options.breaker.failureRateThreshold = 0;
    options.breaker.openWait = 1h; // only probes or operators move it on in these tests
    options.health.interval = 20ms;
    options.health.healthyInterval = 0ms;
    options.health.timeout = 500ms;
    options.healthChecks = false;
    return options;
}

ServiceError unavailable()
{
    ServiceError error = ServiceError::transient(QStringLiteral("503 Service Unavailable"));
    error.httpStatus = 503;
    return error;
}

// A pipeline over an in-process service, with every event recorded.
struct Fixture
{
    explicit Fixture(PipelineOptions options = fastOptions())
        : pipeline(
              options,
              [this] {
                  auto created = std::make_unique<InProcessTtsService>();
                  service = created.get();
                  return created;
              },
              stream)
    {
        stream.addSink(&recorder);
        stream.start();
        pipeline.start();
    }
    ~Fixture()
    {
        pipeline.stop();
        stream.stop();
    }

    std::uint64_t send(const QString& text = QStringLiteral("Hello"))
    {
        return pipeline.submit({0, text, {}}).callId;
    }

    EventStream stream;
    EventRecorder recorder;
    std::atomic<InProcessTtsService*> service{nullptr};
    CallPipeline pipeline;
};

} // namespace

class TestCallPipeline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void successfulCallTellsItsStoryInOrder()
    {
        Fixture f;
        const auto id = f.send();
        QTRY_COMPARE_WITH_TIMEOUT(f.recorder.terminalCount(), 1, 5000);
        const std::vector<EventType> expected{EventType::CallStarted, EventType::AttemptStarted,
                                              EventType::AttemptSucceeded,
                                              EventType::CallSucceeded};
        QCOMPARE(f.recorder.typesOfCall(id), expected);
        const Event last = f.recorder.ofCall(id).back();
        QCOMPARE(last.service, QStringLiteral("elevenlabs"));
        QCOMPARE(last.attempt, 1);
        QCOMPARE(last.state, BreakerState::Closed);
        QVERIFY(last.latencyMs.has_value());
    }

    void transientFailuresRetryThenFail()
    {
        Fixture f;
        f.service.load()->setRule({unavailable(), 0, false});
        const auto id = f.send();
        QTRY_COMPARE_WITH_TIMEOUT(f.recorder.terminalCount(), 1, 5000);
        const auto events = f.recorder.ofCall(id);
        QCOMPARE(std::count_if(events.begin(), events.end(),
                               [](const Event& e) { return e.type == EventType::AttemptFailed; }),
                 4);
        QCOMPARE(std::count_if(events.begin(), events.end(),
                               [](const Event& e) { return e.type == EventType::RetryScheduled; }),
                 3);
        const Event& last = events.back();
        QCOMPARE(last.type, EventType::CallFailed);
        QCOMPARE(last.reason, QStringLiteral("retries_exhausted"));
        QCOMPARE(last.httpStatus, 503);
        QCOMPARE(last.errorKind, ErrorKind::Transient);
    }

    void retryThenSucceedIsMarked()
    {
        PipelineOptions options = fastOptions();
        options.retry.backoff.base = 2s; // time enough to heal the service between attempts
        options.retry.backoff.cap = 2s;
        Fixture f(options);
        f.service.load()->setRule({unavailable(), 0, false});
        // Heal the service as soon as the first attempt has failed.
        const auto id = f.send();
        QTRY_VERIFY_WITH_TIMEOUT(f.recorder.count(EventType::RetryScheduled) >= 1, 5000);
        f.service.load()->setRule({});
        QTRY_COMPARE_WITH_TIMEOUT(f.recorder.terminalCount(), 1, 5000);
        const Event last = f.recorder.ofCall(id).back();
        QCOMPARE(last.type, EventType::CallSucceeded);
        QCOMPARE(last.reason, QStringLiteral("succeeded_after_retry"));
        QVERIFY(last.attempt >= 2);
    }

    void openBreakerSkipsAtOnceAndAlertsNothingWaits()
    {
        Fixture f;
        f.service.load()->setRule({unavailable(), 0, false});
        f.send(); // 4 failures
        f.send(); // the fifth trips the breaker
        QTRY_COMPARE_WITH_TIMEOUT(f.pipeline.breaker()->state(), BreakerState::Open, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(f.recorder.terminalCount(), 2, 5000);

        const SubmitResult skipped = f.pipeline.submit({0, QStringLiteral("Hi"), {}});
        QVERIFY(!skipped.accepted);
        QCOMPARE(skipped.reason, QStringLiteral("breaker_open"));
        QTRY_COMPARE_WITH_TIMEOUT(f.recorder.terminalCount(), 3, 5000);
        const Event e = f.recorder.ofCall(skipped.callId).back();
        QCOMPARE(e.type, EventType::CallSkipped);
        QCOMPARE(e.errorKind, ErrorKind::Rejected);
        QCOMPARE(e.state, BreakerState::Open);
        QCOMPARE(f.recorder.count(EventType::BreakerTransition), 1);
    }

    void fullQueueRefusesWithoutBlocking()
    {
        PipelineOptions options = fastOptions();
        options.pipeline.maxInFlight = 1;
        options.pipeline.queueCapacity = 2;
        Fixture f(options);
        f.service.load()->setRule({std::nullopt, 0, true}); // every call hangs
        int refused = 0;
        for (int i = 0; i < 10; ++i) {
            const SubmitResult r = f.pipeline.submit({0, QStringLiteral("Hi"), {}});
            if (!r.accepted) {
                QCOMPARE(r.reason, QStringLiteral("queue_full"));
                ++refused;
            }
        }
        // One in flight, two queued at most; the first may or may not have left the queue yet.
        QVERIFY2(refused >= 7 && refused <= 8, qPrintable(QString::number(refused)));
        QTRY_COMPARE_WITH_TIMEOUT(f.recorder.terminalCount(), refused, 5000);
    }

    void stopEndsEveryCallExactlyOnce()
    {
        PipelineOptions options = fastOptions();
        options.pipeline.maxInFlight = 3;
        options.pipeline.queueCapacity = 100;
        auto f = std::make_unique<Fixture>(options);
        f->service.load()->setRule({std::nullopt, 0, true});
        for (int i = 0; i < 10; ++i)
            QVERIFY(f->pipeline.submit({0, QStringLiteral("Hi"), {}}).accepted);
        QTRY_COMPARE_WITH_TIMEOUT(f->pipeline.callsInFlight(), 3, 5000);
        f->pipeline.stop();
        f->stream.stop();
        QCOMPARE(f->recorder.terminalCount(), 10);
        int cancelled = 0;
        int skipped = 0;
        for (const Event& e : f->recorder.events()) {
            if (e.type == EventType::CallFailed && e.reason == QStringLiteral("cancelled"))
                ++cancelled;
            if (e.type == EventType::CallSkipped && e.reason == QStringLiteral("shutting_down"))
                ++skipped;
        }
        QCOMPARE(cancelled, 3);
        QCOMPARE(skipped, 7);

        const SubmitResult late = f->pipeline.submit({0, QStringLiteral("Hi"), {}});
        QVERIFY(!late.accepted);
        QCOMPARE(late.reason, QStringLiteral("not_running"));
    }

    void healthProbesRecoverTheBreaker()
    {
        PipelineOptions options = fastOptions();
        options.healthChecks = true;
        Fixture f(options);
        f.service.load()->setRule({unavailable(), 0, false});
        f.send();
        f.send();
        QTRY_COMPARE_WITH_TIMEOUT(f.pipeline.breaker()->state(), BreakerState::Open, 5000);
        f.service.load()->setRule({});
        QTRY_COMPARE_WITH_TIMEOUT(f.pipeline.breaker()->state(), BreakerState::Closed, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(f.recorder.count(EventType::BreakerTransition) >= 3, 5000);
        std::vector<std::pair<BreakerState, QString>> transitions;
        for (const Event& e : f.recorder.events()) {
            if (e.type == EventType::BreakerTransition)
                transitions.emplace_back(*e.toState, e.reason);
        }
        const std::vector<std::pair<BreakerState, QString>> expected{
            {BreakerState::Open, QStringLiteral("consecutive_failures")},
            {BreakerState::HalfOpen, QStringLiteral("health_probe_succeeded")},
            {BreakerState::Closed, QStringLiteral("half_open_succeeded")}};
        QCOMPARE(transitions, expected);
        QVERIFY(f.recorder.count(EventType::HealthProbe) >= 2);
        const auto id = f.send();
        QTRY_VERIFY_WITH_TIMEOUT(
            !f.recorder.ofCall(id).empty() && isTerminal(f.recorder.ofCall(id).back().type), 5000);
        QCOMPARE(f.recorder.ofCall(id).back().type, EventType::CallSucceeded);
    }

    void manyThreadsSubmitEveryCallEndsOnce()
    {
        PipelineOptions options = fastOptions();
        options.pipeline.queueCapacity = 100000;
        options.breaker.consecutiveFailures = 0;
        options.breaker.failureRateThreshold = 100; // never trips: every call runs
        Fixture f(options);
        constexpr int kThreads = 4;
        constexpr int kCalls = 2000;
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&f] {
                for (int i = 0; i < kCalls; ++i)
                    f.pipeline.submit({0, QStringLiteral("Hi"), {}});
            });
        }
        for (auto& thread : threads)
            thread.join();
        QTRY_COMPARE_WITH_TIMEOUT(f.recorder.terminalCount(), kThreads * kCalls, 20000);
        QCOMPARE(f.recorder.count(EventType::CallSucceeded), kThreads * kCalls);
    }

    void callsWaitingToRetryEndWhenTheBreakerOpens()
    {
        PipelineOptions options = fastOptions();
        options.retry.backoff.base = 1h; // only the breaker can end these calls early
        options.retry.backoff.cap = 1h;
        Fixture f(options);
        f.service.load()->setRule({unavailable(), 0, false});
        const auto first = f.send();
        const auto second = f.send();
        QTRY_COMPARE_WITH_TIMEOUT(f.recorder.count(EventType::RetryScheduled), 2, 5000);
        f.pipeline.breaker()->forceOpen();
        QTRY_COMPARE_WITH_TIMEOUT(f.recorder.terminalCount(), 2, 5000);
        for (auto id : {first, second}) {
            const Event end = f.recorder.ofCall(id).back();
            QCOMPARE(end.type, EventType::CallFailed);
            QCOMPARE(end.reason, QStringLiteral("breaker_open"));
            QCOMPARE(end.attempt, 1);
        }
    }

    void submittingWhileStoppingIsSafe()
    {
        // Submitters racing stop() must find either a running pipeline or a closed door, never
        // a breaker being destroyed (AddressSanitizer watches this one).
        for (int round = 0; round < 20; ++round) {
            Fixture f;
            std::atomic<bool> go{true};
            std::atomic<int> submitted{0};
            std::thread submitter([&] {
                while (go.load()) {
                    f.pipeline.submit({0, QStringLiteral("Hi"), {}});
                    submitted.fetch_add(1);
                }
            });
            while (submitted.load() < 50)
                std::this_thread::yield();
            f.pipeline.stop();
            go.store(false);
            submitter.join();
            f.stream.stop();
            QCOMPARE(f.recorder.terminalCount(), submitted.load());
        }
    }

    void loadGeneratorKeepsItsRateWithScriptsFromThePool()
    {
        Fixture f;
        LoadGenerator load(f.pipeline, {}, 3);
        load.setCallsPerSecond(200);
        QSignalSpy running(&load, &LoadGenerator::runningChanged);
        QElapsedTimer elapsed;
        elapsed.start();
        load.start();
        QTRY_VERIFY_WITH_TIMEOUT(load.submitted() >= 50, 10000);
        load.stop();
        // Never faster than its rate: 50 calls at 200/s take a quarter of a second at least (a
        // bound from below only, which a slow machine cannot break).
        QVERIFY2(elapsed.elapsed() >= 240, qPrintable(QString::number(elapsed.elapsed())));
        QCOMPARE(running.count(), 2);
        const auto submitted = load.submitted();
        QTest::qWait(100);
        QCOMPARE(load.submitted(), submitted); // stopped means stopped
        QTRY_COMPARE_WITH_TIMEOUT(f.recorder.terminalCount(), int(submitted), 5000);
        QCOMPARE(f.service.load()->requests(), int(submitted));

        // Paused at rate 0, running but silent.
        load.setCallsPerSecond(0);
        load.start();
        QTest::qWait(100);
        QCOMPARE(load.submitted(), submitted);
    }
};

QTEST_GUILESS_MAIN(TestCallPipeline)
#include "tst_callpipeline.moc"
