#include "healthchecker.h"

namespace breakwater {

struct HealthChecker::Target
{
    QString service;
    HealthProbe* probe = nullptr;
    CircuitBreaker* breaker = nullptr;
    TimerId tickTimer = 0;
    TimerId timeoutTimer = 0;
    std::uint64_t probeNumber = 0; // results of earlier probes are stale
    bool inFlight = false;
    TimePoint started;
    std::optional<TimePoint> lastProbe;
    BreakerState stateAtStart = BreakerState::Closed;
    std::uint64_t generationAtStart = 0; // the verdict applies to this generation only
};

QString validateHealthConfig(const HealthConfig& config)
{
    if (config.interval <= Duration::zero())
        return QStringLiteral("interval_ms must be positive");
    if (config.healthyInterval < Duration::zero())
        return QStringLiteral("healthy_interval_ms must not be negative (0 turns it off)");
    if (config.timeout <= Duration::zero())
        return QStringLiteral("timeout_ms must be positive");
    return {};
}

HealthChecker::HealthChecker(Clock& clock, const HealthConfig& config)
    : m_clock(clock)
    , m_config(config)
{}

HealthChecker::~HealthChecker()
{
    stop();
}

void HealthChecker::addTarget(const QString& service, HealthProbe& probe, CircuitBreaker& breaker)
{
    auto target = std::make_shared<Target>();
    target->service = service;
    target->probe = &probe;
    target->breaker = &breaker;
    m_targets.push_back(target);
    if (m_running)
        scheduleTick(target);
}

void HealthChecker::start()
{
    if (m_running)
        return;
    m_running = true;
    for (const auto& target : m_targets)
        scheduleTick(target);
}

void HealthChecker::stop()
{
    m_running = false;
    for (const auto& target : m_targets) {
        m_clock.cancel(std::exchange(target->tickTimer, 0));
        m_clock.cancel(std::exchange(target->timeoutTimer, 0));
        if (target->inFlight) {
            target->inFlight = false;
            ++target->probeNumber;
            target->probe->abort();
        }
    }
}

bool HealthChecker::probeNow(const QString& service)
{
    for (const auto& target : m_targets) {
        if (target->service == service) {
            launch(target);
            return true;
        }
    }
    return false;
}

void HealthChecker::scheduleTick(const std::shared_ptr<Target>& target)
{
    std::weak_ptr<Target> weak = target;
    target->tickTimer = m_clock.schedule(m_config.interval, [this, weak] {
        if (const auto locked = weak.lock())
            tick(locked);
    });
}

void HealthChecker::tick(const std::shared_ptr<Target>& target)
{
    target->tickTimer = 0;
    if (!m_running)
        return;
    if (isDue(*target))
        launch(target);
    // A probe may answer at once, and its listener may stop or restart the checker; a restart
    // has already scheduled this target's next tick.
    if (m_running && !target->tickTimer)
        scheduleTick(target);
}

bool HealthChecker::isDue(const Target& target) const
{
    if (target.inFlight)
        return false;
    switch (target.breaker->state()) {
    case BreakerState::Open:
    case BreakerState::HalfOpen:
    case BreakerState::ForcedOpen: // informs the operator; the breaker ignores the verdict
        return true;
    case BreakerState::Closed:
    case BreakerState::Disabled:
        break;
    }
    if (m_config.healthyInterval <= Duration::zero())
        return false;
    return !target.lastProbe || m_clock.now() - *target.lastProbe >= m_config.healthyInterval;
}

void HealthChecker::launch(const std::shared_ptr<Target>& target)
{
    if (target->inFlight)
        return;
    target->inFlight = true;
    const std::uint64_t number = ++target->probeNumber;
    target->started = m_clock.now();
    target->lastProbe = target->started;
    target->stateAtStart = target->breaker->state();
    target->generationAtStart = target->breaker->generation();

    std::weak_ptr<Target> weak = target;
    target->timeoutTimer = m_clock.schedule(m_config.timeout, [this, weak, number] {
        const auto locked = weak.lock();
        if (!locked || locked->probeNumber != number || !locked->inFlight)
            return;
        locked->timeoutTimer = 0;
        const ServiceError timeout = ServiceError::timedOut(
            QStringLiteral("health probe"),
            std::chrono::duration_cast<std::chrono::milliseconds>(m_config.timeout));
        // The verdict first: a probe may answer from inside abort() (a QNetworkReply emits
        // finished() there), and that answer must find the probe already settled.
        complete(*locked, number, timeout);
        locked->probe->abort();
    });
    target->probe->probe([this, weak, number](const std::optional<ServiceError>& error) {
        if (const auto locked = weak.lock())
            complete(*locked, number, error);
    });
}

void HealthChecker::complete(Target& target, std::uint64_t probe,
                             const std::optional<ServiceError>& error)
{
    if (probe != target.probeNumber || !target.inFlight)
        return; // answered after its timeout, or after stop()
    target.inFlight = false;
    m_clock.cancel(std::exchange(target.timeoutTimer, 0));

    const bool healthy = !error.has_value();
    ProbeReport report{target.service,      healthy, m_clock.now() - target.started, error,
                       target.stateAtStart, {}};
    target.breaker->onHealthProbe(target.generationAtStart, healthy, m_config.closeOnSuccess);
    report.after = target.breaker->state();
    if (m_listener)
        m_listener(report);
}

} // namespace breakwater
