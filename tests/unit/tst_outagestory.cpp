// The seed system's story told with every primitive together, on the manual clock: healthy
// calls, a ten-minute 503 outage, retries with backoff, the breaker opening, calls skipped at
// once, the health checker noticing recovery, calls resuming. Ten minutes pass in milliseconds.

#include "breakerhelpers.h"
#include "clock/manualclock.h"
#include "health/healthchecker.h"
#include "recordingobserver.h"
#include "retry/retryexecution.h"

#include <QTest>

#include <memory>

using namespace std::chrono_literals;
using namespace breakwater;
using namespace breakwater::testing;

namespace {
// A service whose health the test switches; it answers after a fixed latency on the clock.
class ScriptedService final : public HealthProbe
{
public:
    explicit ScriptedService(Clock& clock)
        : m_clock(clock)
    {}

    bool up = true;
    int requests = 0;

    void call(const std::function<void(std::optional<ServiceError>)>& done)
    {
        ++requests;
        const bool healthy = up;
        m_clock.schedule(50ms, [done, healthy] {
            if (healthy)
                return done(std::nullopt);
            ServiceError error = ServiceError::transient(QStringLiteral("HTTP 503"));
            error.httpStatus = 503;
            done(error);
        });
    }

    void probe(Done done) override { call(done); }

private:
    Clock& m_clock;
};
} // namespace

class TestOutageStory : public QObject
{
    Q_OBJECT

private slots:
    void tenMinuteOutageRecoversOnItsOwn();
};

void TestOutageStory::tenMinuteOutageRecoversOnItsOwn()
{
    ManualClock clock;
    ScriptedService service(clock);
    BreakerConfig breakerConfig = consecutiveConfig(5);
    breakerConfig.openWait = 30s;
    breakerConfig.halfOpenPermits = 2;
    breakerConfig.halfOpenSuccesses = 2;
    CircuitBreaker breaker(QStringLiteral("elevenlabs"), breakerConfig, clock);
    TransitionLog transitions(breaker);

    RetryConfig retryConfig;
    retryConfig.maxAttempts = 3;
    retryConfig.backoff.kind = BackoffKind::EqualJitter;
    retryConfig.backoff.base = 200ms;
    retryConfig.backoff.cap = 2s;
    const RetryPolicy policy(retryConfig);
    RetryBudget budget;

    HealthConfig healthConfig;
    healthConfig.interval = 2s;
    healthConfig.healthyInterval = 0s;
    HealthChecker checker(clock, healthConfig);
    int probes = 0;
    checker.setProbeListener([&](const ProbeReport&) { ++probes; });
    checker.addTarget(QStringLiteral("elevenlabs"), service, breaker);
    checker.start();

    std::map<RetryEnding, int> endings;
    int retries = 0;
    int outageRequestsAtOpen = 0;
    // One call a second; each call's execution lives until its end is reported.
    std::vector<std::unique_ptr<RecordingObserver>> observers;
    std::vector<std::unique_ptr<RetryExecution>> executions;
    auto placeCall = [&](int id) {
        observers.push_back(std::make_unique<RecordingObserver>());
        executions.push_back(std::make_unique<RetryExecution>(policy, clock, *observers.back(),
                                                              &breaker, &budget, id));
        RetryExecution* execution = executions.back().get();
        execution->start([&service, execution](int attempt) {
            service.call([execution, attempt](std::optional<ServiceError> error) {
                if (error)
                    execution->fail(attempt, *error);
                else
                    execution->succeed(attempt);
            });
        });
    };

    int call = 0;
    const auto runFor = [&](Duration span) {
        for (Duration t{0}; t < span; t += 1s) {
            placeCall(++call);
            clock.advance(1s);
        }
    };

    runFor(10s); // happy path
    service.up = false;
    runFor(10min); // the outage
    outageRequestsAtOpen = service.requests;
    service.up = true;
    runFor(1min); // recovery and resumed traffic
    clock.advance(10s);

    for (const auto& observer : observers) {
        QCOMPARE(observer->finishedCount, 1); // every call ended, exactly once
        ++endings[observer->result->ending];
        retries += static_cast<int>(observer->delays.size());
    }
    QCOMPARE(call, 10 + 600 + 60);
    QCOMPARE(breaker.state(), BreakerState::Closed);
    QVERIFY(endings[RetryEnding::Succeeded] >= 10 + 55);
    QVERIFY(endings[RetryEnding::Rejected] > 550); // skipped at once while open
    QVERIFY(retries > 0);

    // The breaker opened, tried half-open on its own timer and by probes, and closed again.
    QVERIFY(transitions.transitions.size() >= 3);
    QCOMPARE(transitions.transitions.front().to, BreakerState::Open);
    QCOMPARE(transitions.transitions.front().reason, TransitionReason::ConsecutiveFailures);
    QCOMPARE(transitions.transitions.back().to, BreakerState::Closed);
    QVERIFY(probes >= 250); // every 2 s while open or half-open

    // Skipping protected the service: 600 calls over ten minutes reached it far fewer times.
    QVERIFY2(outageRequestsAtOpen < 10 + 300 + 60,
             qPrintable(QString::number(outageRequestsAtOpen)));
}

QTEST_APPLESS_MAIN(TestOutageStory)
#include "tst_outagestory.moc"
