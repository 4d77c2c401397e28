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
class MetricsEndpoint;
class MetricsRegistry;
class MetricsSink;
class QtMessageRouter;
class SheetsRowSink;
class SimulatorHost;

// Everything one Breakwater process runs, put together from the config: the event stream with
// the log, the alert manager, the Sheets rows (the spreadsheet or sheets.csv) and the metrics on
// it, the embedded simulator when no real service is configured, the call pipeline on its thread
// with the ElevenLabs client, the load generator, and the Prometheus endpoint when
// metrics.listen is set. The dashboard and the headless agent each own one. Use it from the
// thread that created it.
class AgentRuntime final : public QObject
{
    Q_OBJECT

public:
    explicit AgentRuntime(AppConfig config, QObject* parent = nullptr);
    ~AgentRuntime() override; // stops

    // More sinks (a terminal view, a scenario, the dashboard's bridge), before start().
    void addSink(EventSink* sink);

    // Opens the log, starts the stream, the simulator (if used), the pipeline and the metrics
    // endpoint (if configured). Returns why it could not (log dir unwritable, a Sheets key that
    // cannot be read, simulator or metrics port in use), having left nothing running.
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
    SheetsRowSink& sheets() { return *m_sheets; }
    // Null unless metrics.listen is set; its url() is where /metrics is served.
    const MetricsEndpoint* metricsEndpoint() const { return m_metricsEndpoint.get(); }
    // Null when the config points at a real service.
    SimulatorHost* simulator() { return m_simulator.get(); }
    // Where the pipeline sends its calls (the simulator's URL or the configured one).
    QUrl serviceUrl() const { return m_serviceUrl; }
    QString logFilePath() const;

    // The simulator's fault plan; returns why not (no simulator, or an invalid plan).
    QString setFaultPlan(const FaultPlan& plan);

private:
    QString startSinks();
    QString startMetricsEndpoint();
    void releaseAll();
    void publishPlanChange(const FaultPlan& before, const FaultPlan& after);

    const AppConfig m_config;
    std::unique_ptr<EventStream> m_stream;
    std::unique_ptr<JsonLogSink> m_log;
    std::unique_ptr<AlertManager> m_alerts;
    std::unique_ptr<SheetsRowSink> m_sheets;
    std::unique_ptr<SimulatorHost> m_simulator;
    std::unique_ptr<CallPipeline> m_pipeline;
    std::unique_ptr<LoadGenerator> m_load;
    std::unique_ptr<QtMessageRouter> m_qtMessages;
    // Last, so the endpoint is gone before anything its series read.
    std::unique_ptr<MetricsRegistry> m_metrics;
    std::unique_ptr<MetricsSink> m_metricsSink;
    std::unique_ptr<MetricsEndpoint> m_metricsEndpoint;
    std::vector<EventSink*> m_extraSinks;
    QUrl m_serviceUrl;
    bool m_running = false;
};

} // namespace breakwater
