#include "breakerstory.h"

#include <QTimer>

using namespace std::chrono_literals;

namespace breakwater::demo {

namespace {
constexpr auto kCallEvery = 500ms;
constexpr auto kOutageAt = 3s;
constexpr auto kRestoreAt = 8s;
constexpr auto kEndAt = 15s;

BreakerConfig storyBreaker()
{
    BreakerConfig config;
    config.consecutiveFailures = 3;
    config.failureRateThreshold = 0;
    config.openWait = 8s; // long enough for the health probe, not the timer, to notice recovery
    config.halfOpenPermits = 2;
    config.halfOpenSuccesses = 2;
    return config;
}

RetryConfig storyRetry()
{
    RetryConfig config;
    config.maxAttempts = 3;
    config.backoff.kind = BackoffKind::EqualJitter;
    config.backoff.base = 100ms;
    config.backoff.cap = 1s;
    return config;
}

HealthConfig storyHealth()
{
    HealthConfig config;
    config.interval = 1s;
    config.healthyInterval = 0s;
    config.timeout = 1s;
    return config;
}

qint64 millis(Duration d)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}
} // namespace

// Narrates one call's attempts.
class BreakerStory::CallObserver final : public RetryObserver
{
public:
    CallObserver(BreakerStory& story, int id)
        : m_story(story)
        , m_id(id)
    {}

    void attemptFailed(int attempt, const ServiceError& error, Duration latency) override
    {
        m_story.say(QStringLiteral("call %1: attempt %2 failed after %3 ms: %4 (%5)")
                        .arg(m_id)
                        .arg(attempt)
                        .arg(millis(latency))
                        .arg(error.message, errorKindName(error.kind)));
    }
    void retryScheduled(int nextAttempt, Duration delay, const ServiceError&) override
    {
        m_story.say(QStringLiteral("call %1: retry %2 in %3 ms")
                        .arg(m_id)
                        .arg(nextAttempt)
                        .arg(millis(delay)));
    }
    void finished(const RetryResult& result) override { m_story.callFinished(m_id, result); }

private:
    BreakerStory& m_story;
    int m_id;
};

BreakerStory::BreakerStory(QObject* parent)
    : QObject(parent)
    , m_service(m_clock)
    , m_policy(storyRetry())
    , m_budget()
    , m_breaker(QStringLiteral("elevenlabs-demo"), storyBreaker(), m_clock)
    , m_health(m_clock, storyHealth())
    , m_out(stdout)
{
    m_breaker.setTransitionListener([this](const BreakerTransition& t) {
        m_statesSeen.insert(t.to);
        say(QStringLiteral("BREAKER %1 -> %2: %3")
                .arg(breakerStateName(t.from).toUpper(), breakerStateName(t.to).toUpper(),
                     describeTransition(t)));
    });
    m_health.setProbeListener([this](const ProbeReport& report) {
        say(QStringLiteral("health probe: %1 in %2 ms")
                .arg(report.healthy ? QStringLiteral("healthy") : report.error->message)
                .arg(millis(report.latency)));
    });
    m_health.addTarget(m_breaker.service(), m_service, m_breaker);
}

BreakerStory::~BreakerStory()
{
    m_health.stop();
    for (auto& [id, call] : m_calls)
        call->cancel(QStringLiteral("demo ended"));
}

void BreakerStory::start()
{
    m_start = m_clock.now();
    say(QStringLiteral("Breakwater demo: one call every %1 ms; the service fails at %2 s and "
                       "comes back at %3 s.")
            .arg(millis(kCallEvery))
            .arg(millis(kOutageAt) / 1000)
            .arg(millis(kRestoreAt) / 1000));
    m_health.start();
    auto* calls = new QTimer(this);
    connect(calls, &QTimer::timeout, this, &BreakerStory::placeCall);
    calls->start(kCallEvery);
    QTimer::singleShot(kOutageAt, this, [this] {
        m_service.setUp(false);
        say(QStringLiteral("--- outage: the service now answers 503 ---"));
    });
    QTimer::singleShot(kRestoreAt, this, [this] {
        m_service.setUp(true);
        say(QStringLiteral("--- service restored ---"));
    });
    QTimer::singleShot(kEndAt, this, &BreakerStory::finish);
}

void BreakerStory::placeCall()
{
    const int id = ++m_nextCall;
    auto observer = std::make_unique<CallObserver>(*this, id);
    auto call = std::make_unique<RetryExecution>(m_policy, m_clock, *observer, &m_breaker,
                                                 &m_budget, static_cast<std::uint64_t>(id));
    RetryExecution* execution = call.get();
    m_observers.emplace(id, std::move(observer));
    m_calls.emplace(id, std::move(call));
    execution->start([this, execution](int attempt) {
        m_service.request([execution, attempt](const std::optional<ServiceError>& error) {
            if (error)
                execution->fail(attempt, *error);
            else
                execution->succeed(attempt);
        });
    });
}

void BreakerStory::callFinished(int id, const RetryResult& result)
{
    switch (result.ending) {
    case RetryEnding::Succeeded:
        say(QStringLiteral("call %1: succeeded (attempts: %2)").arg(id).arg(result.attempts));
        break;
    case RetryEnding::Cancelled:
        say(QStringLiteral("call %1: cancelled: %2").arg(id).arg(result.error->message));
        break;
    case RetryEnding::Rejected:
        say(QStringLiteral("call %1: skipped at once: %2").arg(id).arg(result.error->message));
        break;
    default:
        say(QStringLiteral("call %1: failed, %2 after %3 attempts")
                .arg(id)
                .arg(retryEndingName(result.ending))
                .arg(result.attempts));
        break;
    }
    // Not from inside the execution's own callback: destroy it once the event loop is back.
    QMetaObject::invokeMethod(
        this,
        [this, id] {
            m_calls.erase(id);
            m_observers.erase(id);
        },
        Qt::QueuedConnection);
}

void BreakerStory::say(const QString& line)
{
    const double seconds = std::chrono::duration<double>(m_clock.now() - m_start).count();
    m_out << QStringLiteral("[%1 s] ").arg(seconds, 6, 'f', 2) << line << Qt::endl;
}

void BreakerStory::finish()
{
    const bool wholeStory = m_statesSeen.count(BreakerState::Open) &&
                            m_statesSeen.count(BreakerState::HalfOpen) &&
                            m_breaker.state() == BreakerState::Closed;
    say(wholeStory ? QStringLiteral("The breaker opened, tried half-open and closed again: done.")
                   : QStringLiteral("The breaker did not tell the whole story (now %1).")
                         .arg(breakerStateName(m_breaker.state())));
    emit finished(wholeStory ? 0 : 1);
}

} // namespace breakwater::demo
