#pragma once

#include "alerts/silence.h"
#include "breaker/circuitbreaker.h"
#include "bridge/eventbridge.h"
#include "config/appconfig.h"
#include "events/sinkrelay.h"
#include "services/simulator/faultplan.h"

#include <QObject>
#include <QUrl>

#include <memory>
#include <optional>

namespace breakwater {

class AgentRuntime;
class ScenarioRunner;

// What the status bar says about the stream and the log: everything published, and anything any
// stage had to shed (zero in a healthy run, so the operator can see that nothing was lost).
struct SessionCounters
{
    std::uint64_t eventsPublished = 0;
    std::uint64_t streamDropped = 0; // sinks fell behind
    std::uint64_t windowDropped = 0; // the window fell behind (still in app.log)
    std::uint64_t logDropped = 0;    // the disk failed for longer than the log's buffer
    std::uint64_t logWriteErrors = 0;
};

// What the dashboard runs and what its controls act on: one AgentRuntime (stream, log, simulator,
// pipeline, load) built from the config, the bridge that carries its events to the window, and a
// seed scenario run on demand. Lives on the GUI thread; nothing here waits on a call: operator
// actions hand work to the pipeline, the simulator or the breaker and return.
class DashboardSession final : public QObject
{
    Q_OBJECT

public:
    // The window holds this many log rows; the bridge's backlog is bounded well below it.
    explicit DashboardSession(AppConfig config, QObject* parent = nullptr);
    ~DashboardSession() override; // stops

    // Starts the runtime with load flowing. Returns why it could not, having started nothing.
    [[nodiscard]] QString start();
    // Ends a running scenario, stops the load and every call, flushes the log.
    void stop();
    // Stops, takes the new config and starts again; on failure the old config runs again.
    [[nodiscard]] QString restart(AppConfig config);
    bool isRunning() const;

    const AppConfig& config() const noexcept { return m_config; }
    EventBridge& bridge() noexcept { return m_bridge; }
    QString serviceName() const;
    QUrl serviceUrl() const;
    QString logFilePath() const;
    // Where /metrics is served while running with metrics.listen set; empty otherwise.
    QUrl metricsUrl() const;
    // Whether outages can be injected: only into the embedded simulator.
    bool hasSimulator() const;
    // Counters of the current run (zero while stopped, except the window's).
    SessionCounters counters() const;
    FaultPlan faultPlan() const;

    // Operator actions. Each returns why it could not, or an empty string.
    QString injectFault(const FaultPlan& plan);
    QString restoreService();
    void setLoadRate(double callsPerSecond);
    double loadRate() const;
    void setLoadRunning(bool running);
    bool isLoadRunning() const;

    // The breaker's live counters for the breaker panel; nullopt while stopped.
    std::optional<BreakerStatus> breakerStatus() const;
    std::optional<BreakerConfig> breakerConfig() const;
    void forceBreakerOpen();
    void resetBreaker();
    void disableBreaker();

    // Mutes the alerts of a rule and service on every channel for `duration` (or for as long as
    // the pipeline runs, when zero); they still reach the feed and the log. Returns why not.
    QString silenceAlerts(const QString& rule, const QString& service,
                          std::chrono::milliseconds duration);
    void unsilenceAlerts(const QString& rule, const QString& service);
    // The silences in force now, config's and the operator's.
    std::vector<Silence> silences() const;
    // The channels alerts go out on ("email", "telegram", "webhook"); empty while stopped.
    QStringList alertChannels() const;

    // Runs the seed scenario (reference/seed-README.md) against this pipeline, pausing the load
    // generator meanwhile. Returns why it could not start.
    QString runSeedScenario(double timeScale = 1.0);
    bool isScenarioRunning() const noexcept { return m_scenario != nullptr; }
    void cancelScenario();

Q_SIGNALS:
    void runningChanged(bool running);
    void loadRunningChanged(bool running);
    void scenarioLine(const QString& text);
    void scenarioProgress(int step, int steps, const QString& phase);
    void scenarioFinished(bool allHeld, const QString& summary);

private:
    CircuitBreaker* breaker() const;
    void endScenario();

    AppConfig m_config;
    EventBridge m_bridge;
    SinkRelay m_scenarioRelay;
    std::unique_ptr<AgentRuntime> m_runtime;
    std::unique_ptr<ScenarioRunner> m_scenario;
    bool m_loadWasRunning = false;
};

} // namespace breakwater
