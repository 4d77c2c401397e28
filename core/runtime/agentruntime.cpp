#include "agentruntime.h"

#include "alerts/alertmanager.h"
#include "alerts/channels/alertchannels.h"
#include "events/eventstream.h"
#include "pipeline/callpipeline.h"
#include "pipeline/loadgenerator.h"
#include "services/elevenlabs/elevenlabsclient.h"
#include "services/simulator/simulatorhost.h"
#include "telemetry/jsonlogsink.h"

#include <QDir>
#include <QHostAddress>

namespace breakwater {
namespace {

// The simulator wants a key like the real service does; this one opens nothing anywhere else.
const QString kSimulatorKey = QStringLiteral("breakwater-simulator-key");

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
    m_stream = std::make_unique<EventStream>();
    JsonLogSinkOptions logOptions;
    logOptions.minimumLevel = m_config.logging.level;
    m_log = std::make_unique<JsonLogSink>(m_config.logging.dir, logOptions);
    if (QString error = m_log->open(); !error.isEmpty()) {
        m_log.reset();
        m_stream.reset();
        return error;
    }
    m_alerts = std::make_unique<AlertManager>(
        *m_stream, m_config.alerts,
        QDir(m_config.logging.dir).filePath(QStringLiteral("alert-outbox")));
    for (std::unique_ptr<AlertChannel>& channel : makeAlertChannels(m_config.alerts))
        m_alerts->addChannel(std::move(channel));
    if (QString error = m_alerts->start(); !error.isEmpty()) {
        m_alerts.reset();
        m_log.reset();
        m_stream.reset();
        return error;
    }
    m_stream->addSink(m_log.get());
    m_stream->addSink(m_alerts.get());
    for (EventSink* sink : m_extraSinks)
        m_stream->addSink(sink);

    ElevenLabsSettings service = m_config.elevenlabs;
    if (service.baseUrl.isEmpty()) {
        m_simulator = std::make_unique<SimulatorHost>();
        if (!m_simulator->start(QHostAddress(QHostAddress::LocalHost), m_config.simulator.port)) {
            const QString error = QStringLiteral("cannot start the ElevenLabs simulator: ") +
                                  m_simulator->errorString();
            m_simulator.reset();
            m_alerts.reset();
            m_log.reset();
            m_stream.reset();
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

    m_pipeline = std::make_unique<CallPipeline>(
        PipelineOptions::fromConfig(m_config),
        [service] { return std::make_unique<ElevenLabsClient>(service); }, *m_stream);
    m_pipeline->start();
    m_load =
        std::make_unique<LoadGenerator>(*m_pipeline, m_config.load.scripts, m_config.load.seed);
    m_load->setCallsPerSecond(m_config.load.callsPerSecond);
    m_running = true;
    return {};
}

void AgentRuntime::stop()
{
    if (!m_running)
        return;
    m_running = false;
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
    m_stream->stop(); // hands over every last event and flushes the log
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
