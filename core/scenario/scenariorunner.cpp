#include "scenariorunner.h"

#include "events/eventsink.h"
#include "events/eventtext.h"
#include "pipeline/samplescripts.h"

#include <cmath>

namespace breakwater {

// Hands the stream's events to the runner's thread. Only what the runner reads crosses over.
class ScenarioRunner::Sink final : public EventSink
{
public:
    explicit Sink(ScenarioRunner& runner)
        : m_runner(runner)
    {}

    void consume(std::span<const Event> events) override
    {
        std::vector<Event> wanted;
        for (const Event& e : events) {
            if (e.type != EventType::CallStarted && e.type != EventType::AttemptStarted &&
                e.type != EventType::AttemptSucceeded)
                wanted.push_back(e);
        }
        if (wanted.empty())
            return;
        QMetaObject::invokeMethod(
            &m_runner,
            [runner = &m_runner, wanted = std::move(wanted)] { runner->receive(wanted); },
            Qt::QueuedConnection);
    }

private:
    ScenarioRunner& m_runner;
};

ScenarioRunner::ScenarioRunner(Scenario scenario, ScenarioHooks hooks, ScenarioOptions options,
                               QObject* parent)
    : QObject(parent)
    , m_scenario(std::move(scenario))
    , m_hooks(std::move(hooks))
    , m_options(std::move(options))
    , m_sink(std::make_unique<Sink>(*this))
    , m_scripts(m_options.scripts.isEmpty() ? builtInCallScripts() : m_options.scripts)
{
    m_stepTimer.setSingleShot(true);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        if (!m_condition)
            return;
        auto then = std::exchange(m_then, {});
        m_condition = {};
        then(false);
    });
}

ScenarioRunner::~ScenarioRunner() = default;

EventSink& ScenarioRunner::sink()
{
    return *m_sink;
}

void ScenarioRunner::start()
{
    if (m_started)
        return;
    m_started = true;
    m_clock.start();
    Q_EMIT line(QStringLiteral("Scenario \"%1\": %2").arg(m_scenario.name, m_scenario.description));
    runStep();
}

bool ScenarioRunner::allHeld() const
{
    return std::all_of(m_expectations.begin(), m_expectations.end(),
                       [](const ScenarioExpectation& e) { return e.held; });
}

std::map<QString, int> ScenarioRunner::outcomes() const
{
    std::map<QString, int> counts;
    for (const auto& [id, record] : m_calls) {
        if (record.end)
            ++counts[eventTypeName(record.end->type)];
    }
    return counts;
}

QString ScenarioRunner::summary() const
{
    const auto held = std::count_if(m_expectations.begin(), m_expectations.end(),
                                    [](const ScenarioExpectation& e) { return e.held; });
    QString text =
        QStringLiteral("Scenario \"%1\" %2: %3 of %4 expectations held in %5 s")
            .arg(m_scenario.name, allHeld() ? QStringLiteral("PASSED") : QStringLiteral("FAILED"))
            .arg(held)
            .arg(m_expectations.size())
            .arg(double(m_clock.elapsed()) / 1000.0, 0, 'f', 1);
    QStringList parts;
    for (const auto& [name, count] : outcomes())
        parts << QStringLiteral("%1 %2").arg(count).arg(name);
    text += QStringLiteral("\n  calls: ") + parts.join(QStringLiteral(", "));
    for (const ScenarioExpectation& e : m_expectations) {
        if (!e.held)
            text +=
                QStringLiteral("\n  FAILED: ") + e.description + QStringLiteral(": ") + e.detail;
    }
    return text;
}

Duration ScenarioRunner::scaled(Duration d) const
{
    return Duration(std::llround(double(d.count()) * m_options.timeScale));
}

QString ScenarioRunner::stamp() const
{
    return QStringLiteral("%1s").arg(double(m_clock.elapsed()) / 1000.0, 8, 'f', 3);
}

void ScenarioRunner::receive(const std::vector<Event>& events)
{
    for (const Event& e : events)
        note(e);
    checkCondition();
}

void ScenarioRunner::note(const Event& e)
{
    ++m_seen[e.type];
    auto call = m_calls.find(e.callId);
    const bool ours = e.callId != 0 && call != m_calls.end();
    switch (e.type) {
    case EventType::AttemptFailed:
        ++m_failuresSinceTransition;
        break;
    case EventType::RetryScheduled:
        if (ours && e.delayMs)
            call->second.retryDelaysMs.push_back(*e.delayMs);
        break;
    case EventType::BreakerTransition:
        m_transitions.emplace_back(e, m_failuresSinceTransition);
        m_failuresSinceTransition = 0;
        break;
    default:
        if (ours && isTerminal(e.type) && !call->second.end) {
            call->second.end = e;
            // A straggler from an earlier send step must not count towards this one.
            if (std::find(m_sendBatch.begin(), m_sendBatch.end(), e.callId) != m_sendBatch.end())
                --m_sendLeft;
        }
        break;
    }
    // The timeline shows what the story is about: failures, retries, endings, the breaker,
    // probes while it is not closed, alerts, faults.
    const bool quietProbe =
        e.type == EventType::HealthProbe && e.state == BreakerState::Closed && !e.errorKind;
    if ((e.callId == 0 || ours) && !quietProbe)
        Q_EMIT line(QStringLiteral("  +") + stamp() + QStringLiteral("  ") + describeEvent(e));
}

void ScenarioRunner::runStep()
{
    if (m_step >= m_scenario.steps.size()) {
        m_finished = true;
        Q_EMIT line(summary());
        Q_EMIT finished(allHeld());
        return;
    }
    const ScenarioStep& step = m_scenario.steps[m_step];
    Q_EMIT progress(int(m_step), int(m_scenario.steps.size()),
                    step.kind == ScenarioStep::Kind::Phase ? step.title : QString());
    if (step.kind != ScenarioStep::Kind::Phase && !step.title.isEmpty())
        Q_EMIT line(QStringLiteral("  ") + step.title);
    switch (step.kind) {
    case ScenarioStep::Kind::Phase:
        Q_EMIT line(QStringLiteral("== ") + step.title + QStringLiteral(" =="));
        nextStep();
        return;
    case ScenarioStep::Kind::Send:
        m_sendBatch.clear();
        m_sendLeft = 0;
        sendNext();
        return;
    case ScenarioStep::Kind::Inject:
    case ScenarioStep::Kind::Restore: {
        const FaultPlan plan = step.kind == ScenarioStep::Kind::Inject ? step.fault : FaultPlan{};
        const QString error = m_hooks.setFault ? m_hooks.setFault(plan)
                                               : QStringLiteral("no simulator to inject into");
        if (!error.isEmpty())
            expect(QStringLiteral("set the fault plan to ") + describeFaultPlan(plan), false,
                   error);
        else
            Q_EMIT line(QStringLiteral("  +") + stamp() + QStringLiteral("  simulator now: ") +
                        describeFaultPlan(plan));
        nextStep();
        return;
    }
    case ScenarioStep::Kind::Wait:
        m_stepTimer.callOnTimeout(this, &ScenarioRunner::nextStep, Qt::SingleShotConnection);
        m_stepTimer.start(
            std::chrono::duration_cast<std::chrono::milliseconds>(scaled(step.duration)));
        return;
    case ScenarioStep::Kind::ExpectTransition:
        expectTransition(step);
        return;
    case ScenarioStep::Kind::ExpectState:
        expectState(step);
        return;
    case ScenarioStep::Kind::ExpectEvent:
        expectEvent(step);
        return;
    case ScenarioStep::Kind::ExpectRetryDelaysGrow:
        expectRetryDelaysGrow();
        return;
    }
}

void ScenarioRunner::nextStep()
{
    ++m_step;
    // Through the event loop, so a long scenario never grows the stack.
    QMetaObject::invokeMethod(this, &ScenarioRunner::runStep, Qt::QueuedConnection);
}

void ScenarioRunner::sendNext()
{
    const ScenarioStep& step = m_scenario.steps[m_step];
    const auto text = m_scripts.at(qsizetype(m_sendBatch.size()) % m_scripts.size());
    const SubmitResult result = m_hooks.submit({0, text, {}});
    m_calls[result.callId];
    m_sendBatch.push_back(result.callId);
    ++m_sendLeft;
    if (int(m_sendBatch.size()) < step.count) {
        m_stepTimer.callOnTimeout(this, &ScenarioRunner::sendNext, Qt::SingleShotConnection);
        m_stepTimer.start(
            std::chrono::duration_cast<std::chrono::milliseconds>(scaled(step.interval)));
        return;
    }
    awaitCondition([this] { return m_sendLeft <= 0; }, step.duration,
                   [this](bool) { finishSend(); });
}

void ScenarioRunner::awaitCondition(std::function<bool()> condition, Duration patience,
                                    std::function<void(bool)> then)
{
    m_condition = std::move(condition);
    m_then = std::move(then);
    m_deadline.start(std::chrono::duration_cast<std::chrono::milliseconds>(scaled(patience)));
    checkCondition();
}

void ScenarioRunner::checkCondition()
{
    if (!m_condition || !m_condition())
        return;
    m_deadline.stop();
    m_condition = {};
    auto then = std::exchange(m_then, {});
    then(true);
}

} // namespace breakwater
