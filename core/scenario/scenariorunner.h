#pragma once

#include "pipeline/callrequest.h"
#include "scenario.h"

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>

namespace breakwater {

class EventSink;

// What a scenario drives and reads: the pipeline, the simulator's fault plan, the breaker.
struct ScenarioHooks
{
    std::function<SubmitResult(CallRequest)> submit;
    // Sets the simulator's plan; returns why it could not (no simulator: a real service).
    std::function<QString(const FaultPlan&)> setFault;
    std::function<BreakerState()> breakerState;
};

struct ScenarioOptions
{
    double timeScale = 1.0;      // every wait and patience is multiplied by it
    int consecutiveFailures = 5; // the breaker's threshold, for at_threshold
    QStringList scripts;         // what the calls say; empty: built-in
};

struct ScenarioExpectation
{
    QString description;
    bool held = false;
    QString detail;
};

// Runs a scenario's steps in order against a running pipeline, watching the event stream, and
// judges each expectation. Lives on the thread that created it (with an event loop); its sink
// may be handed events on any thread.
class ScenarioRunner final : public QObject
{
    Q_OBJECT

public:
    ScenarioRunner(Scenario scenario, ScenarioHooks hooks, ScenarioOptions options,
                   QObject* parent = nullptr);
    ~ScenarioRunner() override;

    // Add it to the event stream before the scenario starts; it must outlive the stream's run.
    EventSink& sink();

    void start();
    bool isFinished() const noexcept { return m_finished; }
    bool allHeld() const;
    const std::vector<ScenarioExpectation>& expectations() const { return m_expectations; }
    // Calls sent by the scenario, by terminal event type ("call_succeeded" -> 5, ...).
    std::map<QString, int> outcomes() const;
    QString summary() const;

Q_SIGNALS:
    void line(const QString& text); // the timeline, one readable line at a time
    void progress(int step, int steps, const QString& phase);
    void finished(bool allHeld);

private:
    class Sink;
    struct CallRecord
    {
        std::optional<Event> end;
        std::vector<std::int64_t> retryDelaysMs;
    };

    void receive(const std::vector<Event>& events);
    void note(const Event& event);
    void runStep();
    void nextStep();
    void sendNext();
    void awaitCondition(std::function<bool()> condition, Duration patience,
                        std::function<void(bool met)> then);
    void checkCondition();
    // The Expect* steps (scenarioexpectations.cpp).
    void expectTransition(const ScenarioStep& step);
    void expectState(const ScenarioStep& step);
    void expectEvent(const ScenarioStep& step);
    void expectRetryDelaysGrow();
    void expect(const QString& description, bool held, const QString& detail = {});
    void finishSend();
    bool transitionMatches(const Event& event, const ScenarioStep& step) const;
    Duration scaled(Duration d) const;
    QString stamp() const;

    const Scenario m_scenario;
    const ScenarioHooks m_hooks;
    const ScenarioOptions m_options;
    std::unique_ptr<Sink> m_sink;
    QStringList m_scripts;

    std::size_t m_step = 0;
    bool m_started = false;
    bool m_finished = false;
    QElapsedTimer m_clock;
    QTimer m_stepTimer;
    QTimer m_deadline;
    std::function<bool()> m_condition;
    std::function<void(bool)> m_then;

    std::map<std::uint64_t, CallRecord> m_calls; // the calls this scenario sent
    std::vector<std::uint64_t> m_sendBatch;      // the current send step's calls
    int m_sendLeft = 0;
    std::vector<std::pair<Event, int>> m_transitions; // with the failures that preceded each
    std::size_t m_transitionCursor = 0;
    int m_failuresSinceTransition = 0;
    std::map<EventType, int> m_seen;
    std::map<EventType, int> m_consumed;
    std::size_t m_retryCursor = 0; // calls already judged by expect_retry_delays_grow
    std::vector<ScenarioExpectation> m_expectations;
};

} // namespace breakwater
