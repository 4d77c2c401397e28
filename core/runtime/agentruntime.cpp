#include "agentruntime.h"

#include "alerts/alertmanager.h"
#include "alerts/channels/alertchannels.h"
#include "events/eventstream.h"
#include "pipeline/callpipeline.h"
#include "pipeline/loadgenerator.h"
#include "services/elevenlabs/elevenlabsclient.h"
#include "services/simulator/simulatorhost.h"
#include "telemetry/jsonlogsink.h"
#include "telemetry/metrics/componentmetrics.h"
#include "telemetry/metrics/metricsendpoint.h"
#include "telemetry/metrics/metricsregistry.h"
#include "telemetry/metrics/metricssink.h"
#include "telemetry/qtmessagerouter.h"
#include "telemetry/sheets/sheetsrowsink.h"

#include <QDir>
#include <QHostAddress>

namespace breakwater {
namespace {

// The simulator wants a key like the real service does; this one opens nothing anywhere else.
const QString kSimulatorKey = QStringLiteral("breakwater-simulator-key");

// How long the Sheets sink may go on sending at shutdown; what it cannot send stays queued on
// disk for the next start.
constexpr Duration kSheetsShutdownGrace = std::chrono::seconds(2);

} // namespace

AgentRuntime::AgentRuntime(AppConfig config, QObject* parent)
    : QObject(parent)
    , m_config(std::move(config))
{}

AgentRuntime::~AgentRuntime()
{
    stop();
}

void AgentRuntime::addSink(EventSink* sink)
{
    m_extraSinks.push_back(sink);
}

QString AgentRuntime::logFilePath() const
{
    return QDir(m_config.logging.dir).filePath(QStringLiteral("app.log"));
}

QString AgentRuntime::start()
{
    if (m_running)
        return {};
    if (QString error = startSinks(); !error.isEmpty()) {
        releaseAll();
        return error;
    }

    ElevenLabsSettings service = m_config.elevenlabs;
    if (service.baseUrl.isEmpty()) {
        m_simulator = std::make_unique<SimulatorHost>();
        if (!m_simulator->start(QHostAddress(QHostAddress::LocalHost), m_config.simulator.port)) {
            const QString error = QStringLiteral("cannot start the ElevenLabs simulator: ") +
                                  m_simulator->errorString();
            releaseAll();
            return error;
        }
        (void)m_simulator->setFaultPlan(m_config.simulator.initialPlan);
        m_simulator->setPlanListener([this](const FaultPlan& before, const FaultPlan& after) {
            publishPlanChange(before, after);
        });
        service.baseUrl = m_simulator->baseUrl();
        if (service.apiKey.isEmpty())
            service.apiKey = kSimulatorKey;
    }
    m_serviceUrl = service.baseUrl;
    m_stream->start();
    m_qtMessages = std::make_unique<QtMessageRouter>(*m_stream);

    m_pipeline = std::make_unique<CallPipeline>(
        PipelineOptions::fromConfig(m_config),
        [service] { return std::make_unique<ElevenLabsClient>(service); }, *m_stream);
    m_pipeline->start();
    m_load =
        std::make_unique<LoadGenerator>(*m_pipeline, m_config.load.scripts, m_config.load.seed);
    m_load->setCallsPerSecond(m_config.load.callsPerSecond);
    m_running = true;
    if (QString error = startMetricsEndpoint(); !error.isEmpty()) {
        stop();
        releaseAll();
        return error;
    }
    return {};
}

// The stream and what it feeds: app.log, the alert manager, the Sheets rows, the metrics and the
// sinks added by the owner. The stream itself starts later, once everything it feeds is ready.
QString AgentRuntime::startSinks()
{
    EventStreamConfig streamConfig;
    streamConfig.flushInterval = m_config.logging.flushInterval;
    m_stream = std::make_unique<EventStream>(streamConfig);
    JsonLogSinkOptions logOptions;
    logOptions.minimumLevel = m_config.logging.level;
    logOptions.maxFileBytes = m_config.logging.maxFileBytes;
    logOptions.maxFiles = m_config.logging.maxFiles;
    m_log = std::make_unique<JsonLogSink>(m_config.logging.dir, logOptions);
    if (QString error = m_log->open(); !error.isEmpty())
        return error;
    m_alerts = std::make_unique<AlertManager>(
        *m_stream, m_config.alerts,
        QDir(m_config.logging.dir).filePath(QStringLiteral("alert-outbox")));
    for (std::unique_ptr<AlertChannel>& channel : makeAlertChannels(m_config.alerts))
        m_alerts->addChannel(std::move(channel));
    if (QString error = m_alerts->start(); !error.isEmpty())
        return error;
    m_sheets = makeSheetsRowSink(m_config.sheets, m_config.logging.dir, *m_stream);
    if (QString error = m_sheets->start(); !error.isEmpty())
        return QStringLiteral("Google Sheets: ") + error;
    m_metrics = std::make_unique<MetricsRegistry>();
    m_metricsSink = std::make_unique<MetricsSink>(*m_metrics);

    m_stream->addSink(m_log.get());
    m_stream->addSink(m_alerts.get());
    m_stream->addSink(m_sheets.get());
    m_stream->addSink(m_metricsSink.get());
    for (EventSink* sink : m_extraSinks)
        m_stream->addSink(sink);
    return {};
}

// The series sampled at each scrape read the breaker, the pipeline, the stream, the log, the
// alert manager and the Sheets sink, so the endpoint opens once they all run and closes first.
QString AgentRuntime::startMetricsEndpoint()
{
    if (!m_config.metrics.isEnabled())
        return {};
    if (const CircuitBreaker* breaker = m_pipeline->breaker())
        addBreakerMetrics(*m_metrics, *breaker);
    addPipelineMetrics(*m_metrics, *m_pipeline);
    addEventStreamMetrics(*m_metrics, *m_stream);
    addLogMetrics(*m_metrics, *m_log);
    addAlertMetrics(*m_metrics, *m_alerts);
    const SheetsRowSink* sheets = m_sheets.get();
    addSheetsMetrics(
        *m_metrics, [sheets] { return double(sheets->queuedRows()); },
        [sheets] { return double(sheets->droppedRows()); });
    m_metricsEndpoint = std::make_unique<MetricsEndpoint>(*m_metrics);
    return m_metricsEndpoint->start(m_config.metrics.listen); // says where and why not
}

// After a failed start: what did start is stopped and everything is let go, newest first.
void AgentRuntime::releaseAll()
{
    m_metricsEndpoint.reset();
    m_load.reset();
    m_pipeline.reset();
    m_qtMessages.reset();
    if (m_stream)
        m_stream->stop();
    m_simulator.reset();
    if (m_sheets)
        m_sheets->stop(Duration::zero());
    m_alerts.reset(); // stops it if it started
    m_stream.reset();
    m_metricsSink.reset();
    m_metrics.reset();
    m_sheets.reset();
    m_log.reset();
}

void AgentRuntime::stop()
{
    if (!m_running)
        return;
    m_running = false;
    if (m_metricsEndpoint)
        m_metricsEndpoint->stop(); // its series read what stops next
    m_load->stop();
    m_pipeline->stop();
    if (m_simulator) {
        m_simulator->setPlanListener({});
        m_simulator->stop();
    }
    // The alerts of the last events, and the outcomes of their last deliveries, still reach
    // the log: the alert manager stops once the stream has handed it everything, and before the
    // stream itself stops.
    m_stream->drain();
    m_alerts->stop();
    m_sheets->stop(kSheetsShutdownGrace); // rows handed over after this still reach the queue
    m_qtMessages.reset();                 // Qt's messages go back to the terminal alone
    m_stream->stop();                     // hands over every last event and flushes the log
}

QString AgentRuntime::setFaultPlan(const FaultPlan& plan)
{
    if (!m_simulator)
        return QStringLiteral("the service is %1, not the embedded simulator: outages can only "
                              "be injected into the simulator")
            .arg(m_serviceUrl.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery));
    return m_simulator->setFaultPlan(plan);
}

void AgentRuntime::publishPlanChange(const FaultPlan& before, const FaultPlan& after)
{
    Event e;
    e.time = std::chrono::system_clock::now();
    e.service = m_pipeline ? m_pipeline->serviceName() : QStringLiteral("elevenlabs");
    if (after.isHealthy()) {
        e.type = EventType::ServiceRestored;
        e.level = EventLevel::Info;
        e.reason = faultModeName(before.mode);
        e.message = QStringLiteral("simulator healthy again (was ") + describeFaultPlan(before) +
                    QLatin1Char(')');
    } else {
        e.type = EventType::FaultInjected;
        e.level = EventLevel::Warning;
        e.reason = faultModeName(after.mode);
        e.message = QStringLiteral("simulator now answers: ") + describeFaultPlan(after);
    }
    m_stream->publish(std::move(e));
}

} // namespace breakwater
