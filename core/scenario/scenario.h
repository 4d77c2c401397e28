#pragma once

#include "breaker/breakerstate.h"
#include "events/event.h"
#include "services/simulator/faultplan.h"

#include <QString>

#include <optional>
#include <vector>

namespace breakwater {

// One step of a scripted scenario. The file format is documented in docs/scenarios.md.
struct ScenarioStep
{
    enum class Kind : quint8
    {
        Phase,                 // a heading in the timeline
        Send,                  // submit calls and wait until each has ended
        Inject,                // set the simulator's fault plan
        Restore,               // the simulator answers healthily again
        Wait,                  // let time pass
        ExpectTransition,      // a breaker transition arrives (to a state, for a reason)
        ExpectEvent,           // at least N events of a type arrive
        ExpectState,           // the breaker reaches a state
        ExpectRetryDelaysGrow, // the retries so far waited longer each time
    };

    Kind kind = Kind::Phase;
    QString title; // Phase: its name; any step: an optional note printed with it

    // Send
    int count = 0;
    Duration interval{0};
    std::optional<EventType> expectOutcome; // every call ends with this terminal event
    std::optional<double> maxLatencyMs;     // every call ends within this (never time-scaled)

    // Inject
    FaultPlan fault;

    // Wait, and the patience of every Expect* step
    Duration duration{0};

    // ExpectTransition / ExpectState
    std::optional<BreakerState> state;
    QString reason;
    bool atThreshold = false; // opened after exactly breaker.consecutive_failures failures

    // ExpectEvent
    EventType event = EventType::AlertRaised;
    int minimum = 1;
};

struct Scenario
{
    QString name;
    QString description;
    std::vector<ScenarioStep> steps;
};

} // namespace breakwater
