#include "breaker/circuitbreaker.h"
#include "clock/manualclock.h"
#include "health/healthchecker.h"
#include "qtestprinters.h"

#include <QTest>

#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

Q_DECLARE_METATYPE(breakwater::BreakerState)

using namespace std::chrono_literals;

namespace breakwater {

namespace {

const QString kService = QStringLiteral("elevenlabs");

// A probe whose answer each test scripts: at once (healthy or failing), when the test says
// (deferred), or never (deferred and left unanswered, for timeouts).
class ScriptedProbe final : public HealthProbe
{
public:
    enum class Mode
    {
        Healthy,
        Failing,
        Deferred
    };

    void probe(Done done) override
    {
        ++m_probes;
        switch (m_cycle.empty() ? m_mode : m_cycle[(m_probes - 1) % m_cycle.size()]) {
        case Mode::Healthy:
            done(std::nullopt);
            break;
        case Mode::Failing:
            done(m_error);
            break;
        case Mode::Deferred:
            m_pending = std::move(done);
            break;
        }
    }

    // Keeps the pending callback, as a probe that cannot cancel its request would, unless told to
    // answer from inside abort() the way QNetworkReply::abort() emits finished() at once.
    void abort() override
    {
        ++m_aborts;
        if (m_answerOnAbort && m_pending) {
            ServiceError cancelled = ServiceError::cancelled(QStringLiteral("operation canceled"));
            cancelled.networkError = QNetworkReply::OperationCanceledError;
            std::exchange(m_pending, {})(cancelled);
        }
    }

    void setMode(Mode mode) { m_mode = mode; }
    // Answers probe n with m_cycle[n % size]: a scripted mix over a long run.
    void setCycle(std::vector<Mode> cycle) { m_cycle = std::move(cycle); }
    void setError(const ServiceError& error) { m_error = error; }
    void setAnswerOnAbort(bool answer) { m_answerOnAbort = answer; }

    bool hasPending() const { return static_cast<bool>(m_pending); }
    // Answers the deferred probe; the callback may outlive the checker, like a network reply.
    void answer(const std::optional<ServiceError>& error)
    {
        QVERIFY(m_pending);
        std::exchange(m_pending, {})(error);
    }

    int probes() const { return static_cast<int>(m_probes); }
    int aborts() const { return m_aborts; }

private:
    Mode m_mode = Mode::Healthy;
    std::vector<Mode> m_cycle;
    ServiceError m_error = serviceUnavailable();
    Done m_pending;
    std::size_t m_probes = 0;
    int m_aborts = 0;
    bool m_answerOnAbort = false;

    static ServiceError serviceUnavailable()
    {
        ServiceError error = ServiceError::transient(QStringLiteral("service unavailable"));
        error.httpStatus = 503;
        return error;
    }
};

// Probes alone decide: the breaker's own timers (open wait, half-open watchdog) stay out of the
// way unless a test asks for them.
BreakerConfig probeDrivenBreaker()
{
    BreakerConfig config;
    config.consecutiveFailures = 3;
    config.failureRateThreshold = 0.0;
    config.openWait = 1h;
    config.maxOpenWait = 1h;
    config.halfOpenPermits = 3;
    config.halfOpenSuccesses = 2;
    config.maxHalfOpenWait = Duration::zero();
    return config;
}

HealthConfig healthConfig(Duration healthyInterval = Duration::zero())
{
    HealthConfig config;
    config.interval = 2s;
    config.healthyInterval = healthyInterval;
    config.timeout = 1s;
    config.closeOnSuccess = false;
    return config;
}

// Everything one test needs, declared so that the checker goes first and the clock last.
struct Rig
{
    explicit Rig(const HealthConfig& health = healthConfig(),
                 const BreakerConfig& breakerConfig = probeDrivenBreaker())
        : breaker(kService, breakerConfig, clock)
        , checker(std::make_unique<HealthChecker>(clock, health))
    {
        breaker.setTransitionListener(
            [this](const BreakerTransition& transition) { transitions.push_back(transition); });
        checker->addTarget(kService, probe, breaker);
        checker->setProbeListener([this](const ProbeReport& report) { reports.push_back(report); });
    }
    Q_DISABLE_COPY_MOVE(Rig)

    // Real calls that fail until the breaker opens: the only real calls any test makes.
    void trip()
    {
        for (int i = 0; i < breaker.config().consecutiveFailures; ++i) {
            const Permit permit = breaker.tryAcquire();
            QVERIFY(permit);
            ++realCalls;
            breaker.onFailure(permit, 100ms);
        }
        QCOMPARE(breaker.state(), BreakerState::Open);
    }

    int countTransitionsTo(BreakerState state) const
    {
        return static_cast<int>(std::count_if(transitions.begin(), transitions.end(),
                                              [state](const auto& t) { return t.to == state; }));
    }

    ManualClock clock;
    CircuitBreaker breaker;
    ScriptedProbe probe;
    std::vector<ProbeReport> reports;
    std::vector<BreakerTransition> transitions;
    int realCalls = 0;
    std::unique_ptr<HealthChecker> checker;
};

} // namespace

class TestHealthChecker final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void closedBreakerIsLeftAloneWithoutHealthyInterval();
    void verdictOfAProbeThatOutlivedATripIsDropped();
    void restartFromAListenerKeepsOneSchedule();
    void closedBreakerProbedAtHealthyInterval_data();
    void closedBreakerProbedAtHealthyInterval();
    void openBreakerProbedEveryInterval_data();
    void openBreakerProbedEveryInterval();
    void probingStartsOnceBreakerTrips();

    void healthyProbesRecoverOpenBreaker_data();
    void healthyProbesRecoverOpenBreaker();
    void probeTrialClosesWithHalfOpenSucceeded();
    void closeOnSuccessClosesAtOnce_data();
    void closeOnSuccessClosesAtOnce();
    void failingProbeWhileHalfOpenReopens_data();
    void failingProbeWhileHalfOpenReopens();
    void failingProbeWhileOpenLeavesItOpen();
    void operatorStatesIgnoreProbes_data();
    void operatorStatesIgnoreProbes();

    void unansweredProbeTimesOut();
    void answerFromAbortStillReportsTimeout();
    void onlyOneProbeInFlight();
    void probeIsReportedOnce_data();
    void probeIsReportedOnce();
    void mixedRunReportsEveryProbe();

    void stopCancelsTicksAndAbortsInFlight();
    void probeNowProbesImmediately();
    void destroyedCheckerIgnoresLateAnswer();

    void tenMinuteOutageRecoversWithoutRealCalls_data();
    void tenMinuteOutageRecoversWithoutRealCalls();
};

void TestHealthChecker::initTestCase()
{
    QCOMPARE(validateBreakerConfig(probeDrivenBreaker()), QString());
    QCOMPARE(validateHealthConfig(healthConfig()), QString());
    QCOMPARE(validateHealthConfig(HealthConfig{}), QString());
}

void TestHealthChecker::closedBreakerIsLeftAloneWithoutHealthyInterval()
{
    Rig rig;
    rig.checker->start();
    QVERIFY(rig.checker->isRunning());
    rig.clock.advance(5min);

    QCOMPARE(rig.probe.probes(), 0);
    QVERIFY(rig.reports.empty());
    QCOMPARE(rig.breaker.state(), BreakerState::Closed);
    QCOMPARE(rig.clock.pendingTimers(), 1); // the next tick, still watching for a trip
}

void TestHealthChecker::closedBreakerProbedAtHealthyInterval_data()
{
    QTest::addColumn<int>("healthyIntervalS");
    QTest::addColumn<int>("expectedProbes");

    // Ticks every 2 s; the first tick probes, later ones once healthyInterval has passed.
    QTest::addRow("off") << 0 << 0;
    QTest::addRow("every tick") << 2 << 150;
    QTest::addRow("3 s rounds up to 4 s") << 3 << 75;
    QTest::addRow("30 s") << 30 << 10;
    QTest::addRow("60 s") << 60 << 5;
    QTest::addRow("longer than the run") << 600 << 1;
}

void TestHealthChecker::closedBreakerProbedAtHealthyInterval()
{
    QFETCH(int, healthyIntervalS);
    QFETCH(int, expectedProbes);

    Rig rig(healthConfig(std::chrono::seconds(healthyIntervalS)));
    rig.checker->start();
    rig.clock.advance(5min);

    QCOMPARE(rig.probe.probes(), expectedProbes);
    QCOMPARE(static_cast<int>(rig.reports.size()), expectedProbes);
    for (const ProbeReport& report : rig.reports) {
        QVERIFY(report.healthy);
        QCOMPARE(report.before, BreakerState::Closed);
        QCOMPARE(report.after, BreakerState::Closed);
    }
    QCOMPARE(rig.breaker.state(), BreakerState::Closed);
    QVERIFY(!rig.breaker.lastTransition());
}

void TestHealthChecker::openBreakerProbedEveryInterval_data()
{
    QTest::addColumn<int>("intervalMs");
    QTest::addColumn<int>("healthyIntervalS");
    QTest::addColumn<int>("expectedProbes");

    QTest::addRow("1 s") << 1000 << 0 << 60;
    QTest::addRow("2 s") << 2000 << 0 << 30;
    QTest::addRow("5 s") << 5000 << 0 << 12;
    QTest::addRow("1.5 s") << 1500 << 0 << 40;
    QTest::addRow("2 s, healthy interval not used") << 2000 << 30 << 30;
}

void TestHealthChecker::openBreakerProbedEveryInterval()
{
    QFETCH(int, intervalMs);
    QFETCH(int, healthyIntervalS);
    QFETCH(int, expectedProbes);

    HealthConfig config = healthConfig(std::chrono::seconds(healthyIntervalS));
    config.interval = std::chrono::milliseconds(intervalMs);
    Rig rig(config);
    rig.probe.setMode(ScriptedProbe::Mode::Failing);
    rig.trip();
    rig.checker->start();
    rig.clock.advance(1min);

    QCOMPARE(rig.probe.probes(), expectedProbes);
    QCOMPARE(static_cast<int>(rig.reports.size()), expectedProbes);
    for (const ProbeReport& report : rig.reports) {
        QVERIFY(!report.healthy);
        QCOMPARE(report.before, BreakerState::Open);
        QCOMPARE(report.after, BreakerState::Open);
    }
}

void TestHealthChecker::probingStartsOnceBreakerTrips()
{
    Rig rig;
    rig.probe.setMode(ScriptedProbe::Mode::Failing);
    rig.checker->start();
    rig.clock.advance(11s);
    QCOMPARE(rig.probe.probes(), 0);

    rig.trip();
    rig.clock.advance(1s); // the tick at 12 s
    QCOMPARE(rig.probe.probes(), 1);
    rig.clock.advance(10s);
    QCOMPARE(rig.probe.probes(), 6);
}

void TestHealthChecker::healthyProbesRecoverOpenBreaker_data()
{
    QTest::addColumn<int>("halfOpenSuccesses");

    QTest::addRow("1 success") << 1;
    QTest::addRow("2 successes") << 2;
    QTest::addRow("5 successes") << 5;
}

void TestHealthChecker::healthyProbesRecoverOpenBreaker()
{
    QFETCH(int, halfOpenSuccesses);

    BreakerConfig breakerConfig = probeDrivenBreaker();
    breakerConfig.halfOpenSuccesses = halfOpenSuccesses;
    Rig rig(healthConfig(), breakerConfig);
    rig.trip();
    rig.checker->start();

    rig.clock.advance(2s);
    QCOMPARE(rig.probe.probes(), 1);
    QCOMPARE(rig.breaker.state(), BreakerState::HalfOpen);
    auto last = rig.breaker.lastTransition();
    QVERIFY(last);
    QCOMPARE(last->from, BreakerState::Open);
    QCOMPARE(last->to, BreakerState::HalfOpen);
    QCOMPARE(last->reason, TransitionReason::HealthProbeSucceeded);
    QCOMPARE(transitionReasonName(last->reason), QStringLiteral("health_probe_succeeded"));

    for (int i = 1; i < halfOpenSuccesses; ++i) {
        rig.clock.advance(2s);
        QCOMPARE(rig.breaker.state(), BreakerState::HalfOpen);
        QCOMPARE(rig.breaker.status().halfOpenSuccesses, i);
    }
    rig.clock.advance(2s);
    QCOMPARE(rig.probe.probes(), 1 + halfOpenSuccesses);
    QCOMPARE(rig.breaker.state(), BreakerState::Closed);
    last = rig.breaker.lastTransition();
    QVERIFY(last);
    QCOMPARE(last->from, BreakerState::HalfOpen);
    QCOMPARE(last->to, BreakerState::Closed);

    QCOMPARE(rig.transitions.size(), std::size_t{3});
    const BreakerState expected[][2] = {{BreakerState::Closed, BreakerState::Open},
                                        {BreakerState::Open, BreakerState::HalfOpen},
                                        {BreakerState::HalfOpen, BreakerState::Closed}};
    for (std::size_t i = 0; i < rig.transitions.size(); ++i) {
        QCOMPARE(rig.transitions[i].service, kService);
        QCOMPARE(rig.transitions[i].from, expected[i][0]);
        QCOMPARE(rig.transitions[i].to, expected[i][1]);
        QCOMPARE(rig.transitions[i].generation, static_cast<std::uint64_t>(i + 1));
    }
    QCOMPARE(rig.transitions[0].reason, TransitionReason::ConsecutiveFailures);
    QCOMPARE(rig.transitions[1].reason, TransitionReason::HealthProbeSucceeded);

    QCOMPARE(rig.reports.front().before, BreakerState::Open);
    QCOMPARE(rig.reports.front().after, BreakerState::HalfOpen);
    QCOMPARE(rig.reports.back().before, BreakerState::HalfOpen);
    QCOMPARE(rig.reports.back().after, BreakerState::Closed);

    // Closed again and healthyInterval is 0: the checker leaves the service alone.
    rig.clock.advance(5min);
    QCOMPARE(rig.probe.probes(), 1 + halfOpenSuccesses);
    QCOMPARE(rig.realCalls, breakerConfig.consecutiveFailures);
}

// breakerstate.h: HalfOpenSucceeded is "half_open -> closed: enough trial calls or probes
// succeeded", and onHealthProbe() says a healthy probe in HalfOpen "counts as a trial success".
void TestHealthChecker::probeTrialClosesWithHalfOpenSucceeded()
{
    Rig rig;
    rig.trip();
    rig.checker->start();
    rig.clock.advance(6s); // half-open at 2 s, two trial successes at 4 s and 6 s
    QCOMPARE(rig.breaker.state(), BreakerState::Closed);

    const auto last = rig.breaker.lastTransition();
    QVERIFY(last);
    QCOMPARE(last->from, BreakerState::HalfOpen);
    QCOMPARE(last->reason, TransitionReason::HalfOpenSucceeded);
}

void TestHealthChecker::closeOnSuccessClosesAtOnce_data()
{
    QTest::addColumn<bool>("fromHalfOpen");

    QTest::addRow("from open") << false;
    QTest::addRow("from half_open") << true;
}

void TestHealthChecker::closeOnSuccessClosesAtOnce()
{
    QFETCH(bool, fromHalfOpen);

    HealthConfig config = healthConfig();
    config.closeOnSuccess = true;
    Rig rig(config);
    rig.trip();
    if (fromHalfOpen)
        rig.breaker.onHealthProbe(rig.breaker.generation(), true);
    const BreakerState before = rig.breaker.state();
    QCOMPARE(before, fromHalfOpen ? BreakerState::HalfOpen : BreakerState::Open);

    rig.checker->start();
    rig.clock.advance(2s);

    QCOMPARE(rig.probe.probes(), 1);
    QCOMPARE(rig.breaker.state(), BreakerState::Closed);
    const auto last = rig.breaker.lastTransition();
    QVERIFY(last);
    QCOMPARE(last->from, before);
    QCOMPARE(last->to, BreakerState::Closed);
    QCOMPARE(last->reason, TransitionReason::HealthProbeSucceeded);
    QCOMPARE(rig.reports.size(), std::size_t{1});
    QCOMPARE(rig.reports.front().before, before);
    QCOMPARE(rig.reports.front().after, BreakerState::Closed);
}

void TestHealthChecker::failingProbeWhileHalfOpenReopens_data()
{
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<bool>("permanent");
    QTest::addColumn<bool>("timesOut");

    QTest::addRow("transient 503") << 503 << false << false;
    QTest::addRow("permanent 401") << 401 << true << false;
    QTest::addRow("timeout") << 0 << false << true;
}

void TestHealthChecker::failingProbeWhileHalfOpenReopens()
{
    QFETCH(int, httpStatus);
    QFETCH(bool, permanent);
    QFETCH(bool, timesOut);

    Rig rig;
    rig.trip();
    rig.checker->start();
    rig.clock.advance(2s);
    QCOMPARE(rig.breaker.state(), BreakerState::HalfOpen);

    ServiceError error = permanent ? ServiceError::permanent(QStringLiteral("invalid api key"))
                                   : ServiceError::transient(QStringLiteral("unavailable"));
    error.httpStatus = httpStatus;
    rig.probe.setError(error);
    rig.probe.setMode(timesOut ? ScriptedProbe::Mode::Deferred : ScriptedProbe::Mode::Failing);
    rig.clock.advance(timesOut ? 3s : 2s);

    QCOMPARE(rig.probe.probes(), 2);
    QCOMPARE(rig.breaker.state(), BreakerState::Open);
    const auto last = rig.breaker.lastTransition();
    QVERIFY(last);
    QCOMPARE(last->from, BreakerState::HalfOpen);
    QCOMPARE(last->to, BreakerState::Open);
    QCOMPARE(last->reason, TransitionReason::HealthProbeFailed);
    QCOMPARE(transitionReasonName(last->reason), QStringLiteral("health_probe_failed"));

    QCOMPARE(rig.reports.size(), std::size_t{2});
    const ProbeReport& report = rig.reports.back();
    QVERIFY(!report.healthy);
    QVERIFY(report.error);
    QCOMPARE(report.error->httpStatus, httpStatus);
    QCOMPARE(report.before, BreakerState::HalfOpen);
    QCOMPARE(report.after, BreakerState::Open);
}

void TestHealthChecker::failingProbeWhileOpenLeavesItOpen()
{
    Rig rig;
    rig.probe.setMode(ScriptedProbe::Mode::Failing);
    rig.trip();
    rig.checker->start();
    rig.clock.advance(20s);

    QCOMPARE(rig.probe.probes(), 10);
    QCOMPARE(rig.breaker.state(), BreakerState::Open);
    QCOMPARE(rig.transitions.size(), std::size_t{1});
    QCOMPARE(rig.breaker.lastTransition()->reason, TransitionReason::ConsecutiveFailures);
    QCOMPARE(rig.breaker.status().generation, std::uint64_t{1});
}

void TestHealthChecker::operatorStatesIgnoreProbes_data()
{
    QTest::addColumn<BreakerState>("state");
    QTest::addColumn<bool>("healthy");
    QTest::addColumn<int>("expectedProbes");

    // Forced open is probed every interval, for the operator's eyes; disabled only as healthy.
    QTest::addRow("forced_open, healthy") << BreakerState::ForcedOpen << true << 30;
    QTest::addRow("forced_open, failing") << BreakerState::ForcedOpen << false << 30;
    QTest::addRow("disabled, healthy") << BreakerState::Disabled << true << 6;
    QTest::addRow("disabled, failing") << BreakerState::Disabled << false << 6;
}

void TestHealthChecker::operatorStatesIgnoreProbes()
{
    QFETCH(BreakerState, state);
    QFETCH(bool, healthy);
    QFETCH(int, expectedProbes);

    Rig rig(healthConfig(10s));
    rig.trip();
    if (state == BreakerState::ForcedOpen)
        rig.breaker.forceOpen();
    else
        rig.breaker.disable();
    QCOMPARE(rig.breaker.state(), state);
    const std::size_t transitions = rig.transitions.size();

    rig.probe.setMode(healthy ? ScriptedProbe::Mode::Healthy : ScriptedProbe::Mode::Failing);
    rig.checker->start();
    rig.clock.advance(1min);

    QCOMPARE(rig.probe.probes(), expectedProbes);
    QCOMPARE(rig.breaker.state(), state);
    QCOMPARE(rig.transitions.size(), transitions);
    for (const ProbeReport& report : rig.reports) {
        QCOMPARE(report.healthy, healthy);
        QCOMPARE(report.before, state);
        QCOMPARE(report.after, state);
    }
}

void TestHealthChecker::unansweredProbeTimesOut()
{
    Rig rig;
    rig.probe.setMode(ScriptedProbe::Mode::Deferred);
    rig.trip();
    rig.checker->start();
    rig.clock.advance(2s);
    QCOMPARE(rig.probe.probes(), 1);
    QVERIFY(rig.reports.empty());

    rig.clock.advance(1s - 1ns);
    QVERIFY(rig.reports.empty());
    QCOMPARE(rig.probe.aborts(), 0);

    rig.clock.advance(1ns);
    QCOMPARE(rig.probe.aborts(), 1);
    QCOMPARE(rig.reports.size(), std::size_t{1});
    const ProbeReport& report = rig.reports.front();
    QCOMPARE(report.service, kService);
    QVERIFY(!report.healthy);
    QCOMPARE(report.latency.count(), Duration(1s).count());
    QVERIFY(report.error);
    QCOMPARE(report.error->networkError, QNetworkReply::TimeoutError);
    QCOMPARE(report.error->kind, ErrorKind::Transient);
    QCOMPARE(report.before, BreakerState::Open);
    QCOMPARE(report.after, BreakerState::Open);

    // A healthy answer after the timeout is stale: no second report, no half-open.
    rig.probe.answer(std::nullopt);
    QCOMPARE(rig.reports.size(), std::size_t{1});
    QCOMPARE(rig.breaker.state(), BreakerState::Open);
}

// A probe built on QNetworkReply answers from inside abort(): QNetworkReply::abort() emits
// finished() synchronously. The checker has stopped waiting by then; the report is the timeout.
void TestHealthChecker::verdictOfAProbeThatOutlivedATripIsDropped()
{
    HealthConfig config = healthConfig(2s);
    config.timeout = 1min;
    Rig rig(config);
    rig.probe.setMode(ScriptedProbe::Mode::Deferred);
    rig.checker->start();
    rig.clock.advance(2s); // a routine probe of the healthy service sets out
    QVERIFY(rig.probe.hasPending());
    rig.trip();
    rig.probe.answer(std::nullopt); // "healthy", but about the breaker before it tripped
    QCOMPARE(rig.breaker.state(), BreakerState::Open);
    QCOMPARE(rig.reports.size(), std::size_t{1});
}

void TestHealthChecker::restartFromAListenerKeepsOneSchedule()
{
    Rig rig;
    rig.trip(); // open: every tick probes
    rig.probe.setMode(ScriptedProbe::Mode::Failing);
    int reports = 0;
    rig.checker->setProbeListener([&](const ProbeReport&) {
        if (++reports == 1) { // an operator's restart, from inside the first report
            rig.checker->stop();
            rig.checker->start();
        }
    });
    rig.checker->start();
    rig.clock.advance(2s);
    QCOMPARE(rig.probe.probes(), 1);
    rig.clock.advance(20s); // one probe every 2 s from the restart on, not two
    QCOMPARE(rig.probe.probes(), 11);
}

void TestHealthChecker::answerFromAbortStillReportsTimeout()
{
    Rig rig;
    rig.probe.setMode(ScriptedProbe::Mode::Deferred);
    rig.probe.setAnswerOnAbort(true);
    rig.trip();
    rig.checker->start();
    rig.clock.advance(3s);

    QCOMPARE(rig.probe.aborts(), 1);
    QCOMPARE(rig.reports.size(), std::size_t{1});
    const ProbeReport& report = rig.reports.front();
    QVERIFY(!report.healthy);
    QVERIFY(report.error);
    QCOMPARE(report.error->networkError, QNetworkReply::TimeoutError);
    QCOMPARE(report.latency.count(), Duration(1s).count());
}

void TestHealthChecker::onlyOneProbeInFlight()
{
    HealthConfig config = healthConfig();
    config.timeout = 9s;
    Rig rig(config);
    rig.probe.setMode(ScriptedProbe::Mode::Deferred);
    rig.trip();
    rig.checker->start();

    rig.clock.advance(8s); // ticks at 4, 6 and 8 s find the probe of 2 s still running
    QCOMPARE(rig.probe.probes(), 1);
    QVERIFY(rig.checker->probeNow(kService)); // known service, but nothing new starts
    QCOMPARE(rig.probe.probes(), 1);

    rig.probe.answer(ServiceError::transient(QStringLiteral("unavailable")));
    QCOMPARE(rig.reports.size(), std::size_t{1});
    QCOMPARE(rig.reports.front().latency.count(), Duration(6s).count());
    rig.clock.advance(2s);
    QCOMPARE(rig.probe.probes(), 2);

    // The second one times out at 19 s; the tick at 20 s starts the third.
    rig.clock.advance(10s);
    QCOMPARE(rig.probe.probes(), 3);
    QCOMPARE(rig.reports.size(), std::size_t{2});
    QCOMPARE(rig.probe.aborts(), 1);
}

void TestHealthChecker::probeIsReportedOnce_data()
{
    QTest::addColumn<bool>("healthy");
    QTest::addColumn<int>("answerAfterMs"); // -1: answer synchronously; 1000 or more: times out
    QTest::addColumn<int>("expectedLatencyMs");
    QTest::addColumn<BreakerState>("after");

    QTest::addRow("healthy, at once") << true << -1 << 0 << BreakerState::HalfOpen;
    QTest::addRow("failing, at once") << false << -1 << 0 << BreakerState::Open;
    QTest::addRow("healthy, after 0 ms") << true << 0 << 0 << BreakerState::HalfOpen;
    QTest::addRow("healthy, after 700 ms") << true << 700 << 700 << BreakerState::HalfOpen;
    QTest::addRow("failing, after 999 ms") << false << 999 << 999 << BreakerState::Open;
    QTest::addRow("healthy, too late") << true << 1500 << 1000 << BreakerState::Open;
}

void TestHealthChecker::probeIsReportedOnce()
{
    QFETCH(bool, healthy);
    QFETCH(int, answerAfterMs);
    QFETCH(int, expectedLatencyMs);
    QFETCH(BreakerState, after);

    Rig rig;
    const ServiceError failure = ServiceError::transient(QStringLiteral("bad gateway"));
    rig.probe.setError(failure);
    if (answerAfterMs < 0)
        rig.probe.setMode(healthy ? ScriptedProbe::Mode::Healthy : ScriptedProbe::Mode::Failing);
    else
        rig.probe.setMode(ScriptedProbe::Mode::Deferred);
    rig.trip();
    rig.checker->start();
    rig.clock.advance(2s);

    if (answerAfterMs >= 0) {
        rig.clock.advance(std::chrono::milliseconds(answerAfterMs));
        const std::optional<ServiceError> answer =
            healthy ? std::nullopt : std::optional<ServiceError>(failure);
        rig.probe.answer(answer);
    }

    QCOMPARE(rig.probe.probes(), 1);
    QCOMPARE(rig.reports.size(), std::size_t{1});
    const ProbeReport& report = rig.reports.front();
    const bool timedOut = answerAfterMs >= 1000;
    QCOMPARE(report.service, kService);
    QCOMPARE(report.healthy, healthy && !timedOut);
    QCOMPARE(report.latency.count(),
             Duration(std::chrono::milliseconds(expectedLatencyMs)).count());
    QCOMPARE(report.error.has_value(), !report.healthy);
    if (report.error)
        QCOMPARE(report.error->message, timedOut
                                            ? QStringLiteral("health probe timed out after 1000 ms")
                                            : failure.message);
    QCOMPARE(report.before, BreakerState::Open);
    QCOMPARE(report.after, after);
    QCOMPARE(rig.breaker.state(), after);
}

void TestHealthChecker::mixedRunReportsEveryProbe()
{
    using Mode = ScriptedProbe::Mode;
    Rig rig;
    rig.probe.setCycle({Mode::Failing, Mode::Deferred, Mode::Healthy, Mode::Failing, Mode::Deferred,
                        Mode::Deferred});
    rig.trip();
    rig.checker->start();
    rig.clock.advance(61s); // 30 probes; the last one's timeout (at 61 s) included

    QCOMPARE(rig.probe.probes(), 30);
    QCOMPARE(rig.reports.size(), std::size_t{30});
    QCOMPARE(rig.probe.aborts(), 15);
    int healthy = 0;
    for (const ProbeReport& report : rig.reports) {
        QCOMPARE(report.service, kService);
        healthy += report.healthy ? 1 : 0;
    }
    QCOMPARE(healthy, 5);
    // Each healthy probe opened a trial that the next failure or timeout ended.
    QCOMPARE(rig.countTransitionsTo(BreakerState::HalfOpen), 5);
    QCOMPARE(rig.countTransitionsTo(BreakerState::Open), 1 + 5);
}

void TestHealthChecker::stopCancelsTicksAndAbortsInFlight()
{
    Rig rig;
    rig.probe.setMode(ScriptedProbe::Mode::Deferred);
    rig.trip();
    const int breakerTimers = rig.clock.pendingTimers(); // the breaker's open wait
    rig.checker->start();
    rig.clock.advance(2s);
    QCOMPARE(rig.probe.probes(), 1);
    QCOMPARE(rig.clock.pendingTimers(), breakerTimers + 2); // next tick, probe timeout

    rig.checker->stop();
    QVERIFY(!rig.checker->isRunning());
    QCOMPARE(rig.probe.aborts(), 1);
    QCOMPARE(rig.clock.pendingTimers(), breakerTimers);

    rig.probe.answer(std::nullopt);
    rig.clock.advance(5min);
    QCOMPARE(rig.probe.probes(), 1);
    QVERIFY(rig.reports.empty());
    QCOMPARE(rig.breaker.state(), BreakerState::Open);

    rig.probe.setMode(ScriptedProbe::Mode::Healthy);
    rig.checker->start();
    rig.clock.advance(2s);
    QCOMPARE(rig.probe.probes(), 2);
    QCOMPARE(rig.breaker.state(), BreakerState::HalfOpen);
}

void TestHealthChecker::probeNowProbesImmediately()
{
    Rig rig;
    QVERIFY(rig.checker->probeNow(kService)); // not started: still an operator's check
    QCOMPARE(rig.probe.probes(), 1);
    QCOMPARE(rig.reports.size(), std::size_t{1});
    QCOMPARE(rig.reports.front().latency.count(), Duration::zero().count());
    QCOMPARE(rig.breaker.state(), BreakerState::Closed);

    QVERIFY(!rig.checker->probeNow(QStringLiteral("unknown")));
    QVERIFY(!rig.checker->probeNow(QString()));
    QCOMPARE(rig.probe.probes(), 1);

    rig.trip();
    rig.checker->start();
    rig.clock.advance(500ms);
    QVERIFY(rig.checker->probeNow(kService));
    QCOMPARE(rig.probe.probes(), 2);
    QCOMPARE(rig.breaker.state(), BreakerState::HalfOpen);
    QCOMPARE(rig.clock.elapsed().count(), Duration(500ms).count());
}

void TestHealthChecker::destroyedCheckerIgnoresLateAnswer()
{
    Rig rig;
    rig.probe.setMode(ScriptedProbe::Mode::Deferred);
    rig.trip();
    const int breakerTimers = rig.clock.pendingTimers();
    rig.checker->start();
    rig.clock.advance(2s);
    QVERIFY(rig.probe.hasPending());

    rig.checker.reset();
    QCOMPARE(rig.probe.aborts(), 1);
    QCOMPARE(rig.clock.pendingTimers(), breakerTimers);

    rig.probe.answer(std::nullopt); // must not touch the destroyed checker
    rig.clock.advance(5min);
    QVERIFY(rig.reports.empty());
    QCOMPARE(rig.probe.probes(), 1);
    QCOMPARE(rig.breaker.state(), BreakerState::Open);
}

void TestHealthChecker::tenMinuteOutageRecoversWithoutRealCalls_data()
{
    QTest::addColumn<int>("openWaitS");
    QTest::addColumn<int>("outageTransitions");

    // Probes alone move the breaker on.
    QTest::addRow("probes only") << 3600 << 1;
    // The breaker's own 10 s open wait lets it try half-open; each failing probe reopens it.
    QTest::addRow("10 s open wait") << 10 << 1 + 2 * 60;
}

void TestHealthChecker::tenMinuteOutageRecoversWithoutRealCalls()
{
    QFETCH(int, openWaitS);
    QFETCH(int, outageTransitions);

    BreakerConfig breakerConfig = probeDrivenBreaker();
    breakerConfig.openWait = std::chrono::seconds(openWaitS);
    HealthConfig config = healthConfig();
    config.timeout = 2s;
    Rig rig(config, breakerConfig);
    rig.trip();
    rig.probe.setMode(ScriptedProbe::Mode::Failing);
    rig.checker->start();

    rig.clock.advance(10min);
    QCOMPARE(rig.probe.probes(), 300);
    QCOMPARE(rig.reports.size(), std::size_t{300});
    for (const ProbeReport& report : rig.reports)
        QVERIFY(!report.healthy);
    QCOMPARE(rig.breaker.state(), BreakerState::Open);
    QCOMPARE(static_cast<int>(rig.transitions.size()), outageTransitions);
    QCOMPARE(rig.countTransitionsTo(BreakerState::Closed), 0);

    rig.probe.setMode(ScriptedProbe::Mode::Healthy);
    rig.clock.advance(2s);
    QCOMPARE(rig.breaker.state(), BreakerState::HalfOpen);
    QCOMPARE(rig.breaker.status().halfOpenPermitsLeft, breakerConfig.halfOpenPermits);
    rig.clock.advance(2s * breakerConfig.halfOpenSuccesses);
    QCOMPARE(rig.breaker.state(), BreakerState::Closed);
    QCOMPARE(rig.probe.probes(), 300 + 1 + breakerConfig.halfOpenSuccesses);
    QCOMPARE(static_cast<int>(rig.transitions.size()), outageTransitions + 2);

    rig.clock.advance(10min);
    QCOMPARE(rig.probe.probes(), 300 + 1 + breakerConfig.halfOpenSuccesses);
    QCOMPARE(rig.breaker.state(), BreakerState::Closed);
    QCOMPARE(rig.realCalls, breakerConfig.consecutiveFailures);
    QVERIFY(rig.breaker.tryAcquire());
}

} // namespace breakwater

QTEST_APPLESS_MAIN(breakwater::TestHealthChecker)
#include "tst_healthchecker.moc"
