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
    case ScenarioStep::Kind::ExpectTransition: {
        const QString what =
            QStringLiteral("breaker moves to ") + breakerStateName(*step.state) +
            (step.reason.isEmpty() ? QString()
                                   : QStringLiteral(" (") + step.reason + QLatin1Char(')'));
        awaitCondition(
            [this, &step] {
                while (m_transitionCursor < m_transitions.size()) {
                    if (transitionMatches(m_transitions[m_transitionCursor++].first, step))
                        return true;
                }
                return false;
            },
            step.duration,
            [this, &step, what](bool met) {
                QString detail;
                bool held = met;
                if (met && step.atThreshold) {
                    const int failures = m_transitions[m_transitionCursor - 1].second;
                    held = failures == m_options.consecutiveFailures;
                    detail = QStringLiteral("after %1 failures, threshold %2")
                                 .arg(failures)
                                 .arg(m_options.consecutiveFailures);
                }
                expect(what, held, met ? detail : QStringLiteral("no such transition in time"));
                nextStep();
            });
        return;
    }
    case ScenarioStep::Kind::ExpectState:
        awaitCondition(
            [this, &step] { return m_hooks.breakerState && m_hooks.breakerState() == *step.state; },
            step.duration,
            [this, &step](bool met) {
                expect(QStringLiteral("breaker is ") + breakerStateName(*step.state), met,
                       met ? QString()
                           : QStringLiteral("it is ") +
                                 breakerStateName(m_hooks.breakerState ? m_hooks.breakerState()
                                                                       : BreakerState::Closed));
                nextStep();
            });
        return;
    case ScenarioStep::Kind::ExpectEvent:
        awaitCondition(
            [this, &step] { return m_seen[step.event] - m_consumed[step.event] >= step.minimum; },
            step.duration,
            [this, &step](bool met) {
                if (met)
                    m_consumed[step.event] += step.minimum;
                expect(QStringLiteral("%1 x%2").arg(eventTypeName(step.event)).arg(step.minimum),
                       met,
                       met ? QString()
                           : QStringLiteral("saw %1").arg(m_seen[step.event] -
                                                          m_consumed[step.event]));
                nextStep();
            });
        return;
    case ScenarioStep::Kind::ExpectRetryDelaysGrow: {
        int judged = 0;
        QString problem;
        std::size_t index = 0;
        for (const auto& [id, record] : m_calls) {
            if (index++ < m_retryCursor || record.retryDelaysMs.size() < 2)
                continue;
            ++judged;
            const auto& d = record.retryDelaysMs;
            if (!std::is_sorted(d.begin(), d.end()) || d.back() <= d.front()) {
                QStringList delays;
                for (auto ms : d)
                    delays << QString::number(ms);
                problem = callIdText(id) + QStringLiteral(" waited ") +
                          delays.join(QStringLiteral(", ")) + QStringLiteral(" ms");
            }
        }
        m_retryCursor = m_calls.size();
        expect(QStringLiteral("retries wait longer each time"), judged > 0 && problem.isEmpty(),
               judged == 0 ? QStringLiteral("no call retried twice") : problem);
        nextStep();
        return;
    }
    }
}

bool ScenarioRunner::transitionMatches(const Event& event, const ScenarioStep& step) const
{
    return event.toState == step.state && (step.reason.isEmpty() || event.reason == step.reason);
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

void ScenarioRunner::finishSend()
{
    const ScenarioStep& step = m_scenario.steps[m_step];
    int ended = 0;
    int matching = 0;
    double slowest = 0.0;
    for (std::uint64_t id : m_sendBatch) {
        const CallRecord& record = m_calls[id];
        if (!record.end)
            continue;
        ++ended;
        if (step.expectOutcome && record.end->type == *step.expectOutcome)
            ++matching;
        slowest = std::max(slowest, record.end->latencyMs.value_or(0.0));
    }
    const int sent = int(m_sendBatch.size());
    expect(QStringLiteral("%1 call(s) ended").arg(sent), ended == sent,
           QStringLiteral("%1 of %2 ended in time").arg(ended).arg(sent));
    if (step.expectOutcome) {
        expect(QStringLiteral("every call %1").arg(eventTypeName(*step.expectOutcome)),
               matching == sent, QStringLiteral("%1 of %2").arg(matching).arg(sent));
    }
    if (step.maxLatencyMs) {
        expect(QStringLiteral("each within %1 ms").arg(*step.maxLatencyMs),
               ended == sent && slowest <= *step.maxLatencyMs,
               QStringLiteral("slowest took %1 ms").arg(slowest, 0, 'f', 3));
    }
    nextStep();
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

void ScenarioRunner::expect(const QString& description, bool held, const QString& detail)
{
    m_expectations.push_back({description, held, detail});
    QString text = held ? QStringLiteral("  [ok] ") : QStringLiteral("  [FAILED] ");
    text.append(description);
    if (!detail.isEmpty())
        text.append(QStringLiteral(": ")).append(detail);
    Q_EMIT line(text);
}

} // namespace breakwater
