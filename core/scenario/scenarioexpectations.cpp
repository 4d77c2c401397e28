#include "events/eventtext.h"
#include "scenariorunner.h"

// The Expect* steps and the judging of a send step: how a scenario decides what held.
namespace breakwater {

void ScenarioRunner::expectTransition(const ScenarioStep& step)
{
    const QString what =
        QStringLiteral("breaker moves to ") + breakerStateName(*step.state) +
        (step.reason.isEmpty() ? QString() : QStringLiteral(" (") + step.reason + QLatin1Char(')'));
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
}

void ScenarioRunner::expectState(const ScenarioStep& step)
{
    awaitCondition(
        [this, &step] { return m_hooks.breakerState && m_hooks.breakerState() == *step.state; },
        step.duration,
        [this, &step](bool met) {
            expect(QStringLiteral("breaker is ") + breakerStateName(*step.state), met,
                   met ? QString()
                       : QStringLiteral("it is ") + breakerStateName(m_hooks.breakerState
                                                                         ? m_hooks.breakerState()
                                                                         : BreakerState::Closed));
            nextStep();
        });
}

void ScenarioRunner::expectEvent(const ScenarioStep& step)
{
    awaitCondition(
        [this, &step] { return m_seen[step.event] - m_consumed[step.event] >= step.minimum; },
        step.duration,
        [this, &step](bool met) {
            if (met)
                m_consumed[step.event] += step.minimum;
            expect(QStringLiteral("%1 x%2").arg(eventTypeName(step.event)).arg(step.minimum), met,
                   met ? QString()
                       : QStringLiteral("saw %1").arg(m_seen[step.event] - m_consumed[step.event]));
            nextStep();
        });
}

void ScenarioRunner::expectRetryDelaysGrow()
{
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
}

bool ScenarioRunner::transitionMatches(const Event& event, const ScenarioStep& step) const
{
    return event.toState == step.state && (step.reason.isEmpty() || event.reason == step.reason);
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
