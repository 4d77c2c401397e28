#include "dashboardsession.h"

#include "alerts/alertmanager.h"
#include "events/eventstream.h"
#include "pipeline/callpipeline.h"
#include "pipeline/loadgenerator.h"
#include "runtime/agentruntime.h"
#include "runtime/scenariowiring.h"
#include "scenario/scenarioparser.h"
#include "scenario/scenariorunner.h"
#include "services/simulator/simulatorhost.h"
#include "telemetry/jsonlogsink.h"
#include "telemetry/metrics/metricsendpoint.h"

namespace breakwater {
namespace {

// Five seconds of a 20,000 events/s flood: enough for any stall the window survives, and a bound
// on what a frozen window can cost in memory. What it drops is counted and still in app.log.
constexpr std::size_t kBridgeBacklog = 100'000;

} // namespace

DashboardSession::DashboardSession(AppConfig config, QObject* parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_bridge(kBridgeBacklog)
{}

DashboardSession::~DashboardSession()
{
    stop();
}

QString DashboardSession::start()
{
    if (isRunning())
        return {};
    auto runtime = std::make_unique<AgentRuntime>(m_config);
    runtime->addSink(&m_bridge);
    runtime->addSink(&m_scenarioRelay);
    if (QString error = runtime->start(); !error.isEmpty())
        return error;
    m_runtime = std::move(runtime);
    connect(&m_runtime->load(), &LoadGenerator::runningChanged, this,
            &DashboardSession::loadRunningChanged);
    m_runtime->load().start();
    m_bridge.start();
    Q_EMIT runningChanged(true);
    return {};
}

void DashboardSession::stop()
{
    if (!m_runtime)
        return;
    endScenario();
    m_runtime->stop(); // every call ends and the log is flushed before this returns
    m_bridge.deliverPending();
    m_bridge.stop();
    m_runtime.reset();
    Q_EMIT runningChanged(false);
}

QString DashboardSession::restart(AppConfig config)
{
    AppConfig previous = std::exchange(m_config, std::move(config));
    stop();
    if (QString error = start(); !error.isEmpty()) {
        m_config = std::move(previous);
        (void)start();
        return error;
    }
    return {};
}

bool DashboardSession::isRunning() const
{
    return m_runtime != nullptr;
}

QString DashboardSession::serviceName() const
{
    return m_runtime ? m_runtime->pipeline().serviceName() : QStringLiteral("elevenlabs");
}

QUrl DashboardSession::serviceUrl() const
{
    return m_runtime ? m_runtime->serviceUrl() : QUrl();
}

QUrl DashboardSession::metricsUrl() const
{
    const MetricsEndpoint* endpoint = m_runtime ? m_runtime->metricsEndpoint() : nullptr;
    return endpoint ? endpoint->url() : QUrl();
}

QString DashboardSession::logFilePath() const
{
    return m_runtime ? m_runtime->logFilePath() : QString();
}

bool DashboardSession::hasSimulator() const
{
    return m_runtime ? m_runtime->simulator() != nullptr : m_config.elevenlabs.baseUrl.isEmpty();
}

SessionCounters DashboardSession::counters() const
{
    SessionCounters c;
    c.windowDropped = m_bridge.eventsDropped();
    if (m_runtime) {
        c.eventsPublished = m_runtime->events().publishedCount();
        c.streamDropped = m_runtime->events().droppedCount();
        c.logDropped = m_runtime->log().eventsDropped();
        c.logWriteErrors = m_runtime->log().writeErrors();
    }
    return c;
}

FaultPlan DashboardSession::faultPlan() const
{
    if (m_runtime && m_runtime->simulator())
        return m_runtime->simulator()->faultPlan();
    return {};
}

QString DashboardSession::injectFault(const FaultPlan& plan)
{
    if (!m_runtime)
        return QStringLiteral("the pipeline is not running");
    return m_runtime->setFaultPlan(plan);
}

QString DashboardSession::restoreService()
{
    return injectFault(FaultPlan{});
}

void DashboardSession::setLoadRate(double callsPerSecond)
{
    m_config.load.callsPerSecond = callsPerSecond;
    if (m_runtime)
        m_runtime->load().setCallsPerSecond(callsPerSecond);
}

double DashboardSession::loadRate() const
{
    return m_config.load.callsPerSecond;
}

void DashboardSession::setLoadRunning(bool running)
{
    if (!m_runtime)
        return;
    if (running)
        m_runtime->load().start();
    else
        m_runtime->load().stop();
}

bool DashboardSession::isLoadRunning() const
{
    return m_runtime && m_runtime->load().isRunning();
}

CircuitBreaker* DashboardSession::breaker() const
{
    return m_runtime ? m_runtime->pipeline().breaker() : nullptr;
}

std::optional<BreakerStatus> DashboardSession::breakerStatus() const
{
    if (CircuitBreaker* b = breaker())
        return b->status();
    return std::nullopt;
}

std::optional<BreakerConfig> DashboardSession::breakerConfig() const
{
    if (CircuitBreaker* b = breaker())
        return b->config();
    return std::nullopt;
}

void DashboardSession::forceBreakerOpen()
{
    if (CircuitBreaker* b = breaker())
        b->forceOpen();
}

void DashboardSession::resetBreaker()
{
    if (CircuitBreaker* b = breaker())
        b->reset();
}

void DashboardSession::disableBreaker()
{
    if (CircuitBreaker* b = breaker())
        b->disable();
}

QString DashboardSession::silenceAlerts(const QString& rule, const QString& service,
                                        std::chrono::milliseconds duration)
{
    if (!m_runtime)
        return QStringLiteral("the pipeline is not running");
    Silence silence;
    silence.rule = rule;
    silence.service = service;
    if (duration > std::chrono::milliseconds::zero())
        silence.until = std::chrono::system_clock::now() + duration;
    m_runtime->alerts().addSilence(silence);
    return {};
}

void DashboardSession::unsilenceAlerts(const QString& rule, const QString& service)
{
    if (m_runtime)
        m_runtime->alerts().removeSilence(rule, service);
}

std::vector<Silence> DashboardSession::silences() const
{
    return m_runtime ? m_runtime->alerts().silences() : std::vector<Silence>{};
}

QStringList DashboardSession::alertChannels() const
{
    return m_runtime ? m_runtime->alerts().channelNames() : QStringList();
}

QString DashboardSession::runSeedScenario(double timeScale)
{
    if (!m_runtime)
        return QStringLiteral("the pipeline is not running");
    if (m_scenario)
        return QStringLiteral("a scenario is already running");
    if (!m_runtime->simulator())
        return QStringLiteral("the seed scenario injects outages, which needs the embedded "
                              "simulator; the service is configured at ") +
               m_runtime->serviceUrl().toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
    const ScenarioParse parse = seedScenario();
    if (!parse.error.isEmpty())
        return parse.error;
    // The seed counts on its own calls alone tripping the breaker at its threshold.
    m_loadWasRunning = m_runtime->load().isRunning();
    m_runtime->load().stop();
    m_scenario = std::make_unique<ScenarioRunner>(parse.scenario, scenarioHooks(*m_runtime),
                                                  scenarioOptions(m_config, timeScale));
    connect(m_scenario.get(), &ScenarioRunner::line, this, &DashboardSession::scenarioLine);
    connect(m_scenario.get(), &ScenarioRunner::progress, this, &DashboardSession::scenarioProgress);
    connect(m_scenario.get(), &ScenarioRunner::finished, this, [this](bool allHeld) {
        const QString summary = m_scenario->summary();
        endScenario();
        Q_EMIT scenarioFinished(allHeld, summary);
    });
    m_scenarioRelay.attach(&m_scenario->sink());
    m_scenario->start();
    return {};
}

void DashboardSession::cancelScenario()
{
    if (!m_scenario)
        return;
    endScenario();
    (void)restoreService(); // the seed may have left an outage injected
    Q_EMIT scenarioFinished(false, QStringLiteral("Scenario cancelled."));
}

void DashboardSession::endScenario()
{
    if (!m_scenario)
        return;
    m_scenarioRelay.detach(); // after this the runner's sink is never called again
    // Not deleted inside its own signal: handed to the event loop.
    m_scenario.release()->deleteLater();
    if (m_loadWasRunning && m_runtime)
        m_runtime->load().start();
}

} // namespace breakwater
