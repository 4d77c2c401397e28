#pragma once

#include "config/appconfig.h"

#include <QObject>
#include <QUrl>

#include <memory>
#include <vector>

namespace breakwater {

class AlertManager;
class CallPipeline;
class EventSink;
class EventStream;
class JsonLogSink;
class LoadGenerator;
class SimulatorHost;

// Everything one Breakwater process runs, put together from the config: the event stream with
// the log and the alert manager on it, the embedded simulator when no real service is configured,
// the call pipeline on its thread with the ElevenLabs client, and the load generator. The
// dashboard and the headless agent each own one. Use it from the thread that created it.
class AgentRuntime final : public QObject
{
    Q_OBJECT

public:
    explicit AgentRuntime(AppConfig config, QObject* parent = nullptr);
    ~AgentRuntime() override; // stops

    // More sinks (a terminal view, a scenario, the dashboard's bridge), before start().
    void addSink(EventSink* sink);

    // Opens the log, starts the stream, the simulator (if used) and the pipeline. Returns why it
    // could not (log dir unwritable, simulator port in use), having started nothing.
    [[nodiscard]] QString start();
    // Stops the load, ends every call, stops the simulator, then drains and flushes the stream.
    void stop();
    bool isRunning() const noexcept { return m_running; }

    const AppConfig& config() const noexcept { return m_config; }
    EventStream& events() { return *m_stream; }
    CallPipeline& pipeline() { return *m_pipeline; }
    AlertManager& alerts() { return *m_alerts; }
    LoadGenerator& load() { return *m_load; }
    JsonLogSink& log() { return *m_log; }
    // Null when the config points at a real service.
    SimulatorHost* simulator() { return m_simulator.get(); }
    // Where the pipeline sends its calls (the simulator's URL or the configured one).
    QUrl serviceUrl() const { return m_serviceUrl; }
    QString logFilePath() const;

    // The simulator's fault plan; returns why not (no simulator, or an invalid plan).
    QString setFaultPlan(const FaultPlan& plan);

private:
    void publishPlanChange(const FaultPlan& before, const FaultPlan& after);

    const AppConfig m_config;
    std::unique_ptr<EventStream> m_stream;
    std::unique_ptr<JsonLogSink> m_log;
    std::unique_ptr<AlertManager> m_alerts;
    std::unique_ptr<SimulatorHost> m_simulator;
    std::unique_ptr<CallPipeline> m_pipeline;
    std::unique_ptr<LoadGenerator> m_load;
    std::vector<EventSink*> m_extraSinks;
    QUrl m_serviceUrl;
    bool m_running = false;
};

} // namespace breakwater
