#pragma once

#include "breaker/circuitbreaker.h"
#include "healthprobe.h"

#include <memory>
#include <vector>

namespace breakwater {

struct HealthConfig
{
    // Between probes while a breaker is open or half-open.
    Duration interval = std::chrono::seconds(2);
    // Between probes while the breaker is closed (0: leave healthy services alone). Checked on the
    // interval's ticks, so it is effectively rounded up to a whole number of intervals.
    Duration healthyInterval = std::chrono::seconds(30);
    Duration timeout = std::chrono::seconds(2);
    // A good probe closes an open breaker at once instead of starting a half-open trial.
    bool closeOnSuccess = false;
};

QString validateHealthConfig(const HealthConfig& config);

struct ProbeReport
{
    QString service;
    bool healthy = false;
    Duration latency{0};
    std::optional<ServiceError> error;
    BreakerState before = BreakerState::Closed;
    BreakerState after = BreakerState::Closed;
};

// Probes each service on a timer and feeds the verdicts to its breaker, so an open breaker
// recovers without risking a real call. Every probe is reported. Lives on the clock's thread.
class HealthChecker final
{
public:
    using ProbeListener = std::function<void(const ProbeReport&)>;

    HealthChecker(Clock& clock, const HealthConfig& config);
    ~HealthChecker();
    HealthChecker(const HealthChecker&) = delete;
    HealthChecker& operator=(const HealthChecker&) = delete;

    // probe and breaker must outlive the checker.
    void addTarget(const QString& service, HealthProbe& probe, CircuitBreaker& breaker);
    void setProbeListener(ProbeListener listener) { m_listener = std::move(listener); }

    void start();
    void stop();
    // Probes the service now, out of turn (an operator's "check now"); false if it is unknown.
    bool probeNow(const QString& service);
    bool isRunning() const noexcept { return m_running; }

private:
    struct Target;
    void scheduleTick(const std::shared_ptr<Target>& target);
    void tick(const std::shared_ptr<Target>& target);
    void launch(const std::shared_ptr<Target>& target);
    void complete(Target& target, std::uint64_t probe, const std::optional<ServiceError>& error);
    bool isDue(const Target& target) const;

    Clock& m_clock;
    const HealthConfig m_config;
    std::vector<std::shared_ptr<Target>> m_targets;
    ProbeListener m_listener;
    bool m_running = false;
};

} // namespace breakwater
