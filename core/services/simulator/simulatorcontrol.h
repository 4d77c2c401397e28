#pragma once

#include "faultplan.h"
#include "retry/splitmix64.h"
#include "simulatorcounters.h"

#include <QMutex>

#include <atomic>
#include <functional>

namespace breakwater {

// What the simulator does with one arriving request: the plan in force when it arrived, with
// flapping already resolved to the mode this particular request gets.
struct FaultDecision
{
    FaultMode mode = FaultMode::Healthy; // never Flapping
    std::chrono::milliseconds latency{0};
    std::chrono::seconds retryAfter{0};
};

// The simulator's switchboard, shared by the server (on its thread) and whoever injects faults
// (the GUI thread, a scenario, a test): every member is safe to call from any thread at any time.
// It outlives server restarts, so a plan set before the server starts applies from its first
// request.
class SimulatorControl final
{
public:
    // Called on the thread that changed the plan, after the change took effect. The listener must
    // not set a plan itself (changes are serialised so before/after always chain).
    using PlanListener = std::function<void(const FaultPlan& before, const FaultPlan& after)>;

    SimulatorControl() = default;
    Q_DISABLE_COPY_MOVE(SimulatorControl)

    // Applies to requests that arrive afterwards and re-seeds the flapping sequence from
    // plan.seed. Returns why the plan was refused (validateFaultPlan) or an empty string. The
    // listener hears of it only when the plan actually differs from the previous one.
    QString setFaultPlan(const FaultPlan& plan);
    FaultPlan faultPlan() const;
    void setPlanListener(PlanListener listener);

    // Draws the next flapping outcome when the plan flaps: one draw per request, in arrival order.
    FaultDecision decide();

    void countConnection();
    void countReceived(SimulatorEndpoint endpoint);
    void countAnswered(SimulatorOutcome outcome);
    SimulatorCounters counters() const;
    void resetCounters();

private:
    mutable QMutex m_planMutex; // guards m_plan, m_random and m_listener
    QMutex m_changeMutex;       // held across a change and its report
    FaultPlan m_plan;
    SplitMix64 m_random{m_plan.seed};
    PlanListener m_listener;

    std::atomic<std::uint64_t> m_connections{0};
    std::array<std::atomic<std::uint64_t>, kSimulatorEndpointCount> m_received{};
    std::array<std::atomic<std::uint64_t>, kSimulatorOutcomeCount> m_answered{};
};

} // namespace breakwater
